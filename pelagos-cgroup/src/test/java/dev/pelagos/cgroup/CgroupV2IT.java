package dev.pelagos.cgroup;

/**
 * The v2 driver against a real unified hierarchy: on a v2 host directly, on a v1/hybrid host inside
 * the VM that {@link CgroupV2VmIT} boots.
 */
class CgroupV2IT extends CgroupBehaviourContract {
    @Override
    int version() {
        return 2;
    }

    @Override
    String skipReason(CgroupDriver detected) {
        return detected.version() == 2 ? null
                : "this host's cgroups are v1 (" + detected.layout() + "); CgroupV2VmIT runs these tests inside a cgroup-v2 VM";
    }
}
