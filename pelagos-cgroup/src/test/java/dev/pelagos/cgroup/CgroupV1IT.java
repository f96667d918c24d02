package dev.pelagos.cgroup;

/** The v1 driver against this host's real v1 (or hybrid) hierarchies. */
class CgroupV1IT extends CgroupBehaviourContract {
    @Override
    int version() {
        return 1;
    }

    @Override
    String skipReason(CgroupDriver detected) {
        return detected.version() == 1 ? null : "this host's cgroups are v2, not v1";
    }
}
