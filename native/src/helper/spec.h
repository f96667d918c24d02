#ifndef PELAGOS_SPEC_H
#define PELAGOS_SPEC_H

#include <stdint.h>
#include <sys/types.h>

struct pg_mount {
    uint64_t flags;
    uint64_t propagation;
    uint32_t options;
    char *source, *target, *fstype, *data;
    uint64_t attr_set, attr_clr; /* recursive mount attributes (mount_setattr AT_RECURSIVE) */
    int tree_fd; /* a bind's source cloned by the privileged parent (open_tree), or -1 */
    int idmapped; /* PG_T_MOUNT_IDMAP: the clone is idmapped through a user namespace */
    uint32_t idmap_flags; /* PG_IDMAP_RECURSIVE */
    char *idmap_uid, *idmap_gid; /* the user namespace's uid_map/gid_map, or "" with idmap_userns */
    char *idmap_userns; /* an existing user namespace to map through (the one the container joins), or "" */
};

#define PG_IDMAP_RECURSIVE 1u

struct pg_device {
    uint32_t type, major, minor, mode, uid, gid;
    char *path;
};

struct pg_rlimit {
    uint32_t resource;
    uint64_t soft, hard;
};

/* An OCI hook; argv and envp are NULL-terminated. */
struct pg_hook {
    uint32_t phase, timeout;
    char *path;
    char **argv, **envp;
    uint32_t argc, envc;
};

struct pg_nspath {
    uint32_t type;
    char *path;
};

/* A growable array of pointers or values; count is the used length. */
#define PG_LIST(T) struct { T *items; size_t count, cap; }

struct pg_spec {
    uint32_t mode;
    PG_LIST(char *) args;
    PG_LIST(char *) env;
    char *cwd;
    int has_user;
    uint32_t uid, gid;
    PG_LIST(uint32_t) groups;
    char *rootfs;
    char *hostname;
    uint32_t clone_flags;
    PG_LIST(struct pg_mount) mounts;
    PG_LIST(char *) masked;
    PG_LIST(char *) readonly;
    PG_LIST(char *) sysctls;
    PG_LIST(struct pg_rlimit) rlimits;
    int has_caps;
    uint64_t cap_bounding, cap_effective, cap_permitted, cap_inheritable, cap_ambient;
    int no_new_privs;
    unsigned char *seccomp;
    size_t seccomp_len;
    int readonly_root;
    PG_LIST(char *) cgroup_procs;
    PG_LIST(char *) cgroup_oom;
    PG_LIST(char *) cgroup_rmdir;
    PG_LIST(char *) cleanup;
    char *state_dir;
    int init;
    int has_oom_score_adj;
    int32_t oom_score_adj;
    int has_umask;
    uint32_t umask;
    PG_LIST(struct pg_device) devices;
    PG_LIST(char *) symlink_targets;
    PG_LIST(char *) symlink_paths;
    PG_LIST(struct pg_nspath) ns_paths;
    PG_LIST(char *) ns_release;
    int has_root_propagation;
    uint64_t root_propagation;
    int tty;
    char *log_stdout, *log_stderr;
    char *pid_file;
    int loopback_up;
    char *uid_map, *gid_map;
    char *print_on_start;
    uint32_t preserve_fds;
    uint32_t target_pid;
    int no_pivot;
    uint32_t stop_signal;
    char *exec_fifo;
    char *console_socket;
    int has_console_size;
    uint32_t console_rows, console_cols;
    uint64_t log_max_size;
    int interactive;
    int has_personality;
    uint32_t personality;
    uint32_t seccomp_flags;
    PG_LIST(char *) health_args;
    uint64_t health_interval_ms, health_timeout_ms, health_start_period_ms;
    uint32_t health_retries;
    PG_LIST(char *) cleanup_on_failure;
    char *error_log;
    uint32_t error_log_flags; /* PG_LOG_JSON, PG_LOG_DEBUG (runtime_log.h) */
    uint32_t failure_code; /* non-zero: every failure of the helper exits with it (OCI: runc's 1 or 255) */
    PG_LIST(struct pg_hook) hooks;
    char *hook_state;
};

/* Reads and parses the whole spec from fd; on error returns -1 with pg_errbuf set. */
int pg_spec_read(int fd, struct pg_spec *spec);

#endif
