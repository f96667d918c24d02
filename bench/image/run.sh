#!/usr/bin/env bash
# Image pull benchmark: pelagos pull + unpack vs `skopeo copy` + `umoci unpack` of the same
# multi-layer image (>= 100 MiB unpacked) from a local Debian docker-registry on 127.0.0.1.
# Usage: bench/image/run.sh [RUNS]     (root; needs docker-registry, skopeo, umoci, hyperfine, busybox-static)
# Output: bench/image/results/image-pull-<time>.{json,md}; prints the ratio (skopeo+umoci time / pelagos time).
set -euo pipefail
RUNS=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
for t in docker-registry skopeo umoci hyperfine busybox gzip sha256sum; do
    command -v "$t" >/dev/null || { echo "run.sh: $t is not installed" >&2; exit 2; }
done

W=$(mktemp -d /var/tmp/pelagos-image-bench.XXXXXX)
REG_PID=
cleanup() {
    [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null && wait "$REG_PID" 2>/dev/null || true
    rm -rf "$W"
}
trap cleanup EXIT

# ---- the Java side: pelagos-image and its dependencies from ~/.m2, the driver compiled once
m2=$HOME/.m2/repository
(cd "$repo" && mvn -q -o -pl pelagos-image install -DskipTests >/dev/null)
CP=$m2/dev/pelagos/pelagos-image/0.1.0-SNAPSHOT/pelagos-image-0.1.0-SNAPSHOT.jar
CP=$CP:$m2/dev/pelagos/pelagos-base/0.1.0-SNAPSHOT/pelagos-base-0.1.0-SNAPSHOT.jar
CP=$CP:$m2/com/google/code/gson/gson/2.13.1/gson-2.13.1.jar
CP=$CP:$m2/org/apache/commons/commons-compress/1.27.1/commons-compress-1.27.1.jar
CP=$CP:$m2/commons-io/commons-io/2.16.1/commons-io-2.16.1.jar
CP=$CP:$m2/org/apache/commons/commons-lang3/3.16.0/commons-lang3-3.16.0.jar
CP=$CP:$m2/com/github/luben/zstd-jni/1.5.7-4/zstd-jni-1.5.7-4.jar
mkdir -p "$W/classes"
"$JAVA_HOME/bin/javac" -d "$W/classes" -cp "$CP" "$here/PullBench.java"
JAVA="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp $W/classes:$CP"

# ---- the image: busybox rootfs + 4 data layers (random and compressible), OCI layout by hand
mkdir -p "$W/rootfs/bin" "$W/rootfs/etc" "$W/layout/blobs/sha256"
cp -a /bin/busybox "$W/rootfs/bin/busybox"
for a in sh ls cat echo true env; do ln -s busybox "$W/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$W/rootfs/etc/passwd"
layers=("$W/rootfs")
for i in 1 2 3 4; do
    d="$W/l$i/data$i"; mkdir -p "$d"
    head -c $((24 << 20)) /dev/urandom > "$d/random.bin"
    for j in $(seq 1 400); do seq $((j * 1000)) $((j * 1000 + 2000)) > "$d/text$j.txt"; done  # many small compressible files
    layers+=("$W/l$i")
done
diff_ids=(); descs=()
for dir in "${layers[@]}"; do
    t="$W/$(basename "$dir").tar"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir" -cf "$t" .
    diff_ids+=("\"sha256:$(sha256sum "$t" | cut -d' ' -f1)\"")
    gzip -n -6 "$t"
    h=$(sha256sum "$t.gz" | cut -d' ' -f1); s=$(stat -c %s "$t.gz")
    mv "$t.gz" "$W/layout/blobs/sha256/$h"
    descs+=("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$h\",\"size\":$s}")
done
join() { local IFS=,; echo "$*"; }
printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$(join "${diff_ids[@]}")" > "$W/config.json"
ch=$(sha256sum "$W/config.json" | cut -d' ' -f1); cs=$(stat -c %s "$W/config.json"); mv "$W/config.json" "$W/layout/blobs/sha256/$ch"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
    "$ch" "$cs" "$(join "${descs[@]}")" > "$W/manifest.json"
mh=$(sha256sum "$W/manifest.json" | cut -d' ' -f1); ms=$(stat -c %s "$W/manifest.json"); mv "$W/manifest.json" "$W/layout/blobs/sha256/$mh"
echo '{"imageLayoutVersion":"1.0.0"}' > "$W/layout/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"1"}}]}' \
    "$mh" "$ms" > "$W/layout/index.json"
unpacked=$(du -sb "$W/rootfs" "$W"/l? | awk '{s+=$1} END {print s}')
compressed=$(du -sb "$W/layout/blobs" | cut -f1)

# ---- a local registry
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$W/registry.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $W/registry
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$W/registry.yml" >"$W/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
REF=127.0.0.1:$port/bench/image:1
skopeo copy -q --dest-tls-verify=false "oci:$W/layout:1" "docker://$REF"

# ---- the race
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$here/results/image-pull-$stamp"
mkdir -p "$here/results"
hyperfine --runs "$RUNS" --warmup 1 --export-json "$out.json" \
    -n pelagos --prepare "rm -rf $W/pel" "$JAVA PullBench $W/pel $REF" \
    -n skopeo+umoci --prepare "rm -rf $W/sk $W/bundle" \
    "skopeo copy -q --src-tls-verify=false docker://$REF oci:$W/sk:1 && umoci unpack --image $W/sk:1 $W/bundle >/dev/null"
# the same content came out of both
pel_busybox=$(ls -d "$W"/pel/layers/*/bin/busybox | head -1)
cmp "$pel_busybox" "$W/bundle/rootfs/bin/busybox"
[ "$(du -sb "$W"/pel/layers | cut -f1)" -ge $((100 << 20)) ] || { echo "run.sh: unpacked image is under 100 MiB" >&2; exit 1; }
python3 - "$out.json" "$unpacked" "$compressed" > "$out.md" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
p, s = r["pelagos"], r["skopeo+umoci"]
print(f"# Image pull + unpack ({int(sys.argv[2]) / 2**20:.0f} MiB unpacked, {int(sys.argv[3]) / 2**20:.0f} MiB compressed, 5 layers, local registry)\n")
print("| tool | mean (s) | stddev (s) | min (s) |\n|---|---|---|---|")
for n, x in (("pelagos (JVM start included)", p), ("skopeo copy + umoci unpack", s)):
    print(f"| {n} | {x['mean']:.3f} | {x['stddev']:.3f} | {x['min']:.3f} |")
print(f"\nratio (skopeo+umoci / pelagos): **{s['mean'] / p['mean']:.2f}x**")
PY
cat "$out.md"
