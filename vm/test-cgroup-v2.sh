#!/usr/bin/env bash
# CI entry for the cgroup v2 driver: builds pelagos-cgroup, boots ONE throw-away cgroup-v2 VM
# (vm/run-in-vm) and runs CgroupV2IT inside it through CgroupV2VmIT, then prints what the guest
# reported. Unlike a plain `mvn verify` (where the VM test skips itself when no VM can boot),
# this fails when the VM cannot run. Needs root. Exit status 0 only if every v2 test passed.
#   vm/test-cgroup-v2.sh             (offline Maven; MVN_FLAGS="" to allow downloads)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
pelagos_find_jdk
if ! why=$(vm/run-in-vm --check); then
    echo "test-cgroup-v2: cannot boot the test VM: $why" >&2
    exit 1
fi
vm/run-in-vm --prepare >&2            # one-time kernel download and unpack, cached in /var/cache/pelagos-vm
log=pelagos-cgroup/target/cgroup-v2-vm.log
rm -f "$log"
start=$(date +%s)
status=0
# shellcheck disable=SC2086
mvn -B ${MVN_FLAGS--o -q} -pl pelagos-cgroup verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=CgroupV2VmIT -Dfailsafe.failIfNoSpecifiedTests=false || status=$?
if [ -s "$log" ]; then
    grep -E '^(RESULT|REPORT|SUMMARY) ' "$log" || cat "$log"
else
    echo "test-cgroup-v2: the VM test did not run (see pelagos-cgroup/target/failsafe-reports)" >&2
    status=1
fi
echo "test-cgroup-v2: finished in $(( $(date +%s) - start )) s" >&2
exit "$status"
