/*
 * The spec Java hands the helper on fd 3: a flat list of records, each
 *   u16 tag, u16 reserved (0), u32 payload length, payload
 * in native byte order. Strings are raw bytes (no NUL); records with several
 * strings prefix each with a u32 length. Java mirrors these numbers in
 * dev.pelagos.runtime.launch.SpecTag; a unit test checks the two agree.
 */
#ifndef PELAGOS_PROTOCOL_H
#define PELAGOS_PROTOCOL_H

#define PG_SPEC_MAGIC 0x50474c53u /* "PGLS": first record, u32 version follows */
#define PG_SPEC_VERSION 1u

enum pg_tag {
    PG_T_MAGIC = 1,          /* u32 magic, u32 version */
    PG_T_MODE = 2,           /* u32 enum pg_mode */
    PG_T_ARG = 3,            /* str: argv element, in order */
    PG_T_ENV = 4,            /* str: KEY=VALUE */
    PG_T_CWD = 5,            /* str */
    PG_T_USER = 6,           /* u32 uid, u32 gid */
    PG_T_GROUP = 7,          /* u32 supplementary gid */
    PG_T_ROOTFS = 8,         /* str: host path of the root (mount point) */
    PG_T_HOSTNAME = 9,       /* str */
    PG_T_CLONE_FLAGS = 10,   /* u32 CLONE_NEW* flags */
    PG_T_MOUNT = 11,         /* u64 flags, u64 propagation, u32 options, 4 x (u32 len, bytes): source, target, fstype, data */
    PG_T_MASKED = 12,        /* str: path inside the container */
    PG_T_READONLY = 13,      /* str: path inside the container */
    PG_T_SYSCTL = 14,        /* str: key=value (dotted key) */
    PG_T_RLIMIT = 15,        /* u32 resource, u32 pad, u64 soft, u64 hard */
    PG_T_CAPS = 16,          /* u64 bounding, effective, permitted, inheritable, ambient */
    PG_T_NO_NEW_PRIVS = 17,  /* u32 bool */
    PG_T_SECCOMP = 18,       /* bytes: struct sock_filter[] */
    PG_T_READONLY_ROOT = 19, /* u32 bool */
    PG_T_CGROUP_PROCS = 20,  /* str: a cgroup.procs file to write the child's pid into */
    PG_T_CGROUP_OOM = 21,    /* str: a file with an "oom_kill N" line, read after exit */
    PG_T_CGROUP_RMDIR = 22,  /* str: a cgroup directory to remove after exit (deepest first) */
    PG_T_CLEANUP = 23,       /* str: a path to remove recursively after exit (--rm) */
    PG_T_STATE_DIR = 24,     /* str: where to write the "pid" and "exit" files */
    PG_T_INIT = 25,          /* u32 bool: run a minimal init as PID 1 */
    PG_T_OOM_SCORE_ADJ = 26, /* i32 */
    PG_T_UMASK = 27,         /* u32 */
    PG_T_DEVICE = 28,        /* u32 type ('c'/'b'), major, minor, mode, uid, gid, (u32 len, bytes) path */
    PG_T_SYMLINK = 29,       /* (u32 len, bytes) target, (u32 len, bytes) link path */
    PG_T_NS_PATH = 30,       /* u32 CLONE_NEW* type, (u32 len, bytes) path: join instead of create */
    PG_T_ROOT_PROPAGATION = 31, /* u64 propagation flags for "/" before anything (default MS_SLAVE|MS_REC) */
    PG_T_TTY = 32,           /* u32 bool */
    PG_T_LOG_STDOUT = 33,    /* str (detached) */
    PG_T_LOG_STDERR = 34,    /* str (detached) */
    PG_T_PID_FILE = 35,      /* str */
    PG_T_LOOPBACK_UP = 36,   /* u32 bool: bring "lo" up in a new network namespace */
    PG_T_UID_MAP = 37,       /* str: "inside outside count" lines */
    PG_T_GID_MAP = 38,       /* str */
    PG_T_PRINT_ON_START = 39, /* str: printed on stdout once the container runs (detached) */
    PG_T_PRESERVE_FDS = 40,  /* u32: fds 3..3+N-1 are passed to the container */
    PG_T_TARGET_PID = 41,    /* u32: the container process to join (exec) */
    PG_T_NO_PIVOT = 42,      /* u32 bool: MS_MOVE + chroot instead of pivot_root */
    PG_T_STOP_SIGNAL = 43,   /* u32 */
    PG_T_EXEC_FIFO = 44,     /* str: (OCI create) the container waits to open this FIFO before exec */
    PG_T_CONSOLE_SOCKET = 45, /* str: (OCI) unix socket to send the pty master to */
    PG_T_LOG_MAX_SIZE = 46,  /* u64: rotate the log file past this many bytes */
    PG_T_INTERACTIVE = 47,   /* u32 bool: keep stdin open (run -i / exec -i) */
    PG_T_PERSONALITY = 48,   /* u32 personality(2) domain */
    PG_T_SECCOMP_FLAGS = 49, /* u32 SECCOMP_FILTER_FLAG_* for seccomp(2) */
    PG_T_HEALTH_ARG = 50,    /* str: argv element of the health check command, in order */
    PG_T_HEALTH_TIMING = 51, /* u64 interval_ms, timeout_ms, start_period_ms, u32 retries */
    PG_T_ERROR_LOG = 52,     /* u32 flags (1 json, 2 debug), u32 failure exit code (0: 125/126/127), (u32 len, bytes) path ("" = none):
                              * OCI callers: the helper's failures also go to the log, with runc's exit codes */
    PG_T_CLEANUP_ON_FAILURE = 53, /* str: a path to remove recursively when the start fails (state of a kept container) */
    PG_T_CONSOLE_SIZE = 54,  /* u32 rows, u32 columns: the terminal's size (OCI process.consoleSize) */
    PG_T_MOUNT_ATTR = 55,    /* u64 attr_set, u64 attr_clr (MOUNT_ATTR_*): applied recursively to the previous MOUNT */
    PG_T_MOUNT_IDMAP = 56,   /* u32 flags (1: recursive), 3 x (u32 len, bytes): uid map, gid map, user namespace path
                              * ("" = none): the previous MOUNT (a bind) is idmapped (mount_setattr MOUNT_ATTR_IDMAP) */
    PG_T_HOOK = 57,          /* u32 phase (enum pg_hook_phase), timeout_s (0: none), argc, envc; (u32 len, bytes) path, args, env */
    PG_T_HOOK_STATE = 58,    /* str: the OCI state JSON without its closing brace, pid and status (the helper adds them) */
    PG_T_NS_RELEASE = 59,    /* str: a namespace file bound for this container alone: unmounted and removed once the
                                namespaces are joined (the container's processes hold the namespace from then on) */
};

/* PG_T_HOOK phases: the OCI runtime spec's hook lists */
enum pg_hook_phase {
    PG_HOOK_PRESTART = 1,
    PG_HOOK_CREATE_RUNTIME = 2,
    PG_HOOK_CREATE_CONTAINER = 3,
    PG_HOOK_START_CONTAINER = 4, /* run inside the container, before the user's program */
    PG_HOOK_POSTSTART = 5,
    PG_HOOK_POSTSTOP = 6,
};

enum pg_mode {
    PG_MODE_RUN = 1,      /* foreground: the helper waits, forwards signals, exits with the container's code */
    PG_MODE_DETACH = 2,   /* the helper forks a monitor that outlives the caller */
    PG_MODE_EXEC = 3,     /* join a running container's namespaces and run a process in it (foreground) */
    PG_MODE_CREATE = 4,   /* OCI create: set up, wait on the exec FIFO; the caller's subreaper adopts the process */
    PG_MODE_EXEC_DETACH = 5, /* exec, but the helper returns once the process runs (a monitor stays) */
    PG_MODE_EXEC_CREATE = 6, /* OCI exec --detach: like EXEC_DETACH but no monitor: the caller's subreaper adopts it */
};

/* PG_T_MOUNT options */
enum pg_mount_opt {
    PG_MNT_ROOT = 1 << 0,      /* this mount becomes the root itself (target ignored) */
    PG_MNT_MKDIR = 1 << 1,     /* create the target as a directory if missing */
    PG_MNT_MKFILE = 1 << 2,    /* create the target as an empty file if missing */
    PG_MNT_NOFOLLOW = 1 << 3,  /* refuse a target that is (or passes through) a symlink */
    PG_MNT_REMOUNT = 1 << 4,   /* no new mount: remount the one at target with the flags (e.g. read-only) */
    PG_MNT_OPTIONAL = 1 << 5,  /* skip quietly when the source does not exist */
    PG_MNT_AFTER_PIVOT = 1 << 6, /* target is mounted after pivot_root (source inside the container) */
    PG_MNT_SYMLINK = 1 << 7,   /* no mount: a symlink at target pointing to source, made in this order */
    PG_MNT_SEED = 1 << 8,      /* a bind of an empty volume: first copy the image's content at target into it */
};

#endif
