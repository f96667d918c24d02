#!/usr/bin/env bash
# OCI conformance of dist/bin/pelagos: the runtime-tools validation suite and real clients
# (podman, containerd), both from ../shared/conformance (see docs CONFORMANCE.md), run as root.
# Prints both summaries and fails when a result falls below the acceptance bars of issue 5:
#   validation: at least 3544 assertions passed and at most 19 failed (crun 1.8.1 on this machine)
#   clients:    42 passed, 0 failed
# Usage: scripts/conformance.sh [validation|clients|all|bats]  Env: CONFORMANCE_DIR (default ../shared/conformance)
#   bats: runc v1.1.5's tests/integration (CONFORMANCE.md §3, seccomp-notify excluded) with RUNC=pelagos (through a
#         symlink named runc); needs
#         RUNC_SRC = a runc v1.1.5 source tree (e.g. `git -C runc archive v1.1.5 | tar -x -C DIR`), Go, bats;
#         the bar is runc's own pass count here (MIN_BATS_PASSED, default 129). Not part of "all" (~10 min).
set -u -o pipefail
cd "$(dirname "$0")/.."
WHICH=${1:-all}
DIR=${CONFORMANCE_DIR:-$(cd .. && pwd)/shared/conformance}
RT=$(pwd)/dist/bin/pelagos
MIN_PASSED=${MIN_PASSED:-3544}
MAX_FAILED=${MAX_FAILED:-19}
[ "$(id -u)" = 0 ] || { echo "conformance: must run as root" >&2; exit 2; }
[ -x "$RT" ] || { echo "conformance: $RT is missing; build first (scripts/build.sh)" >&2; exit 2; }
[ -d "$DIR" ] || { echo "conformance: no suites at $DIR (set CONFORMANCE_DIR)" >&2; exit 2; }
LOGS=$(mktemp -d /tmp/pelagos-conformance.XXXXXX)
status=0
summary=()

if [ "$WHICH" = all ] || [ "$WHICH" = validation ]; then
  RUNTIME=$RT "$DIR/oci-validation.sh" >"$LOGS/validation.log" 2>&1
  grep -E '^not ok' "$LOGS/validation.log" | cut -c1-160
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOGS/validation.log" | tail -1)
  programs=$(grep -E '^# programs:' "$LOGS/validation.log" | tail -1)
  passed=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' <<<"$line")
  failed=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' <<<"$line")
  summary+=("validation: $line ${programs#\# }")
  if [ -z "$passed" ] || [ "$passed" -lt "$MIN_PASSED" ] || [ "$failed" -gt "$MAX_FAILED" ]; then
    summary+=("validation: BELOW THE BAR (need >= $MIN_PASSED passed, <= $MAX_FAILED failed)"); status=1
  fi
fi

if [ "$WHICH" = all ] || [ "$WHICH" = clients ]; then
  RUNTIME=$RT "$DIR/clients.sh" all >"$LOGS/clients.log" 2>&1
  grep -E '^not ok' -A3 "$LOGS/clients.log" | cut -c1-200
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOGS/clients.log" | tail -1)
  summary+=("clients: $line")
  [ "$line" = "42 passed, 0 failed" ] || { summary+=("clients: BELOW THE BAR (need 42 passed, 0 failed)"); status=1; }
fi

if [ "$WHICH" = bats ]; then
  [ -n "${RUNC_SRC:-}" ] && [ -d "$RUNC_SRC/tests/integration" ] || { echo "conformance: set RUNC_SRC to a runc v1.1.5 tree" >&2; exit 2; }
  for t in go bats script xz; do command -v $t >/dev/null || { echo "conformance: $t is missing" >&2; exit 2; }; done
  it=$RUNC_SRC/tests/integration
  # built once per source tree (a minute of Go); BATS_FILES="a.bats b.bats" runs a subset
  [ -x "$RUNC_SRC/contrib/cmd/recvtty/recvtty" ] && [ -x "$RUNC_SRC/contrib/cmd/sd-helper/sd-helper" ] ||
  ( cd "$RUNC_SRC" && export GOCACHE=$LOGS/gocache GOTOOLCHAIN=local GOFLAGS=-mod=vendor &&
    go build -o contrib/cmd/recvtty/recvtty ./contrib/cmd/recvtty && go build -o contrib/cmd/sd-helper/sd-helper ./contrib/cmd/sd-helper ) \
    >"$LOGS/go-build.log" 2>&1 || { tail -5 "$LOGS/go-build.log" >&2; exit 2; }
  # the busybox image (no /proc, /sys) the suite would download; the Debian one is only used by a test runc fails too
  bb=$LOGS/busybox; mkdir -p "$bb/bin" "$bb/etc" "$bb/tmp" "$bb/root" "$bb/dev"
  cp "$(command -v busybox)" "$bb/bin/busybox"
  for a in $("$bb/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$bb/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$bb/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$bb/etc/group"; chmod 1777 "$bb/tmp"
  # written beside and renamed: parallel runs on one tree never read a half-written tarball
  tar -C "$bb" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cJf "$LOGS/busybox.tar.xz" . &&
    mv -f "$LOGS/busybox.tar.xz" "$it/testdata/busybox-amd64.tar.xz"
  [ -e "$it/testdata/debian-amd64.tar.xz" ] || cp "$it/testdata/busybox-amd64.tar.xz" "$it/testdata/debian-amd64.tar.xz"
  files=${BATS_FILES:-$(cd "$it" && ls *.bats | grep -v '^seccomp-notify.bats$' | tr '\n' ' ')}
  # recvtty helpers left by failed tty tests hold script's terminal open: end them (by pid, matched on their exe)
  cat >"$LOGS/reap.sh" <<REAP
#!/bin/sh
for d in /proc/[0-9]*; do
  [ "\$(readlink \$d/exe 2>/dev/null)" = "$(readlink -f "$RUNC_SRC/contrib/cmd/recvtty/recvtty")" ] && kill \${d#/proc/} 2>/dev/null
done
exit 0
REAP
  chmod +x "$LOGS/reap.sh"
  # called by the name the suite's tools give it, as when installed as runc (its --version says "runc version ...")
  ln -sf "$RT" "$LOGS/runc"
  # checkpoint.bats writes CRIU's system-wide config and keeps it when the test fails: put back what was there
  criu_conf=/etc/criu/default.conf; criu_saved=""
  [ -e "$criu_conf" ] && { criu_saved=$LOGS/criu-default.conf; cp -p "$criu_conf" "$criu_saved"; }
  ( cd "$it" && RUNC=$LOGS/runc script -qec "bats --tap $files; $LOGS/reap.sh" /dev/null ) >"$LOGS/bats.tap" 2>&1
  if [ -n "$criu_saved" ]; then cp -p "$criu_saved" "$criu_conf"; else rm -f "$criu_conf"; rmdir /etc/criu 2>/dev/null || true; fi
  grep '^not ok' "$LOGS/bats.tap" | cut -c1-160
  p=$(grep '^ok' "$LOGS/bats.tap" | grep -vc '# skip'); k=$(grep -c '# skip' "$LOGS/bats.tap"); f=$(grep -c '^not ok' "$LOGS/bats.tap")
  summary+=("bats (runc v1.1.5): $p passed, $f failed, $k skipped")
  [ -n "${BATS_FILES:-}" ] || [ "$p" -ge "${MIN_BATS_PASSED:-129}" ] || { summary+=("bats: BELOW THE BAR (runc passes ${MIN_BATS_PASSED:-129} here)"); status=1; }
fi

echo "# logs: $LOGS"
printf '%s\n' "${summary[@]}"
exit $status
