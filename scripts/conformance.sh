#!/usr/bin/env bash
# OCI conformance of dist/bin/pelagos: the runtime-tools validation suite and real clients
# (podman, containerd), both from ../shared/conformance (see docs CONFORMANCE.md), run as root.
# Prints both summaries and fails when a result falls below the acceptance bars of issue 5:
#   validation: at least 3544 assertions passed and at most 19 failed (crun 1.8.1 on this machine)
#   clients:    42 passed, 0 failed
# Usage: scripts/conformance.sh [validation|clients|all]     Env: CONFORMANCE_DIR (default ../shared/conformance)
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
  line=$(tail -1 "$LOGS/validation.log")
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
  line=$(tail -1 "$LOGS/clients.log")
  summary+=("clients: $line")
  [ "$line" = "42 passed, 0 failed" ] || { summary+=("clients: BELOW THE BAR (need 42 passed, 0 failed)"); status=1; }
fi

echo "# logs: $LOGS"
printf '%s\n' "${summary[@]}"
exit $status
