#!/bin/sh
# Runs every test: unit tests, then (as root) the integration tests with real containers,
# the cgroup v2 tests in a throw-away VM, and the external conformance suites.
#   scripts/test.sh            everything
#   scripts/test.sh --quick    unit tests only (no root needed)
set -e
cd "$(dirname "$0")/.."
. scripts/jdk.sh
pelagos_find_jdk
start=$(date +%s)
if [ "$1" = "--quick" ]; then
    mvn -B -q test
    exit 0
fi
# unit + integration tests (failsafe runs *IT after dist/ is assembled; the ITs build their
# root filesystem fixtures with scripts/test-fixtures.sh)
mvn -B verify
# the external conformance suites (OCI runtime-tools, podman and containerd as clients) live in the
# shared steering folder beside the clone; without it they are skipped, and said so
suites=${CONFORMANCE_DIR:-$(cd .. && pwd)/shared/conformance}
if [ "$(id -u)" != 0 ]; then
    echo "conformance: skipped (needs root)"
elif [ ! -d "$suites" ]; then
    echo "conformance: skipped (no suites at $suites; set CONFORMANCE_DIR)"
else
    # CI guards against regressions with a margin under today's result (3550 passed / 13 failed assertions;
    # runc here 3260 / 32, crun 3544 / 19); the issue's bar is crun's (scripts/conformance.sh's defaults)
    CONFORMANCE_DIR=$suites MIN_PASSED=${MIN_PASSED:-3400} MAX_FAILED=${MAX_FAILED:-22} scripts/conformance.sh
fi
echo "all tests finished in $(( $(date +%s) - start )) s"
