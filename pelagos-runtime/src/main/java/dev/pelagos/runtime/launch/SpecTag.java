package dev.pelagos.runtime.launch;

/**
 * Record tags of the spec the helper reads on fd 3. These numbers mirror
 * {@code native/src/helper/protocol.h}; {@code SpecTagTest} checks that the two agree.
 */
public enum SpecTag {
    MAGIC(1), MODE(2), ARG(3), ENV(4), CWD(5), USER(6), GROUP(7), ROOTFS(8), HOSTNAME(9), CLONE_FLAGS(10),
    MOUNT(11), MASKED(12), READONLY(13), SYSCTL(14), RLIMIT(15), CAPS(16), NO_NEW_PRIVS(17), SECCOMP(18),
    READONLY_ROOT(19), CGROUP_PROCS(20), CGROUP_OOM(21), CGROUP_RMDIR(22), CLEANUP(23), STATE_DIR(24), INIT(25),
    OOM_SCORE_ADJ(26), UMASK(27), DEVICE(28), SYMLINK(29), NS_PATH(30), ROOT_PROPAGATION(31), TTY(32),
    LOG_STDOUT(33), LOG_STDERR(34), PID_FILE(35), LOOPBACK_UP(36), UID_MAP(37), GID_MAP(38), PRINT_ON_START(39),
    PRESERVE_FDS(40), TARGET_PID(41), NO_PIVOT(42), STOP_SIGNAL(43), EXEC_FIFO(44), CONSOLE_SOCKET(45),
    LOG_MAX_SIZE(46), INTERACTIVE(47), PERSONALITY(48), SECCOMP_FLAGS(49), HEALTH_ARG(50), HEALTH_TIMING(51),
    ERROR_LOG(52), CLEANUP_ON_FAILURE(53), CONSOLE_SIZE(54), MOUNT_ATTR(55), MOUNT_IDMAP(56), HOOK(57), HOOK_STATE(58), NS_RELEASE(59);

    public static final int MAGIC_VALUE = 0x50474c53;
    public static final int VERSION = 1;

    final int code;

    SpecTag(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The helper's modes ({@code enum pg_mode}). */
    public enum Mode {
        RUN(1), DETACH(2), EXEC(3), CREATE(4), EXEC_DETACH(5), EXEC_CREATE(6);

        final int code;

        Mode(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** The OCI hook lists a HOOK record belongs to ({@code enum pg_hook_phase}). */
    public enum HookPhase {
        PRESTART(1), CREATE_RUNTIME(2), CREATE_CONTAINER(3), START_CONTAINER(4), POSTSTART(5), POSTSTOP(6);

        final int code;

        HookPhase(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** Options of a MOUNT record ({@code enum pg_mount_opt}). */
    public static final int MNT_ROOT = 1;
    public static final int MNT_MKDIR = 1 << 1;
    public static final int MNT_MKFILE = 1 << 2;
    public static final int MNT_NOFOLLOW = 1 << 3;
    public static final int MNT_REMOUNT = 1 << 4;
    public static final int MNT_OPTIONAL = 1 << 5;
    public static final int MNT_AFTER_PIVOT = 1 << 6;
    public static final int MNT_SYMLINK = 1 << 7;
    public static final int MNT_SEED = 1 << 8;
}
