#define _GNU_SOURCE
#include "spec.h"
#include "protocol.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PG_PUSH(list, value)                                                        \
    do {                                                                            \
        if ((list).count == (list).cap) {                                           \
            (list).cap = (list).cap ? (list).cap * 2 : 8;                           \
            (list).items = realloc((list).items, (list).cap * sizeof *(list).items); \
            if (!(list).items) {                                                    \
                pg_error("out of memory");                                          \
                return -1;                                                          \
            }                                                                       \
        }                                                                           \
        (list).items[(list).count++] = (value);                                     \
    } while (0)

struct cursor {
    const unsigned char *p, *end;
};

static int take(struct cursor *c, void *out, size_t n)
{
    if ((size_t)(c->end - c->p) < n)
        return pg_error("spec: truncated record");
    memcpy(out, c->p, n);
    c->p += n;
    return 0;
}

static int u32(struct cursor *c, uint32_t *v) { return take(c, v, 4); }
static int u64(struct cursor *c, uint64_t *v) { return take(c, v, 8); }

static char *str_n(const unsigned char *p, size_t n)
{
    char *s = pg_xmalloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

/* a length-prefixed string inside a multi-field record */
static int lstr(struct cursor *c, char **out)
{
    uint32_t n = 0;
    if (u32(c, &n) < 0)
        return -1;
    if ((size_t)(c->end - c->p) < n)
        return pg_error("spec: truncated string");
    *out = str_n(c->p, n);
    c->p += n;
    return 0;
}

static int read_all(int fd, unsigned char **buf, size_t *len)
{
    size_t cap = 16384, n = 0;
    unsigned char *b = pg_xmalloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            b = realloc(b, cap);
            if (!b)
                return pg_error("out of memory");
        }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return pg_syserror("read spec");
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *buf = b;
    *len = n;
    return 0;
}

static int parse_record(struct pg_spec *s, uint16_t tag, struct cursor *c)
{
    size_t len = (size_t)(c->end - c->p);
    uint32_t v = 0;
    switch (tag) {
    case PG_T_MAGIC: {
        uint32_t magic = 0, version = 0;
        if (u32(c, &magic) < 0 || u32(c, &version) < 0)
            return -1;
        if (magic != PG_SPEC_MAGIC || version != PG_SPEC_VERSION)
            return pg_error("spec: version mismatch between pelagos and its helper (reinstall pelagos)");
        return 0;
    }
    case PG_T_MODE: return u32(c, &s->mode);
    case PG_T_ARG: PG_PUSH(s->args, str_n(c->p, len)); return 0;
    case PG_T_ENV: PG_PUSH(s->env, str_n(c->p, len)); return 0;
    case PG_T_CWD: s->cwd = str_n(c->p, len); return 0;
    case PG_T_USER:
        s->has_user = 1;
        return u32(c, &s->uid) < 0 ? -1 : u32(c, &s->gid);
    case PG_T_GROUP:
        if (u32(c, &v) < 0)
            return -1;
        PG_PUSH(s->groups, v);
        return 0;
    case PG_T_ROOTFS: s->rootfs = str_n(c->p, len); return 0;
    case PG_T_HOSTNAME: s->hostname = str_n(c->p, len); return 0;
    case PG_T_CLONE_FLAGS: return u32(c, &s->clone_flags);
    case PG_T_MOUNT: {
        struct pg_mount m = {0};
        m.tree_fd = -1;
        if (u64(c, &m.flags) < 0 || u64(c, &m.propagation) < 0 || u32(c, &m.options) < 0 || lstr(c, &m.source) < 0
            || lstr(c, &m.target) < 0 || lstr(c, &m.fstype) < 0 || lstr(c, &m.data) < 0)
            return -1;
        PG_PUSH(s->mounts, m);
        return 0;
    }
    case PG_T_MOUNT_ATTR:
        if (s->mounts.count == 0)
            return pg_error("spec: mount attributes before any mount");
        return (u64(c, &s->mounts.items[s->mounts.count - 1].attr_set) < 0
                || u64(c, &s->mounts.items[s->mounts.count - 1].attr_clr) < 0) ? -1 : 0;
    case PG_T_MOUNT_IDMAP: {
        if (s->mounts.count == 0)
            return pg_error("spec: an id mapping before any mount");
        struct pg_mount *m = &s->mounts.items[s->mounts.count - 1];
        m->idmapped = 1;
        return (u32(c, &m->idmap_flags) < 0 || lstr(c, &m->idmap_uid) < 0 || lstr(c, &m->idmap_gid) < 0
                || lstr(c, &m->idmap_userns) < 0) ? -1 : 0;
    }
    case PG_T_MASKED: PG_PUSH(s->masked, str_n(c->p, len)); return 0;
    case PG_T_READONLY: PG_PUSH(s->readonly, str_n(c->p, len)); return 0;
    case PG_T_SYSCTL: PG_PUSH(s->sysctls, str_n(c->p, len)); return 0;
    case PG_T_RLIMIT: {
        struct pg_rlimit r;
        uint32_t pad;
        if (u32(c, &r.resource) < 0 || u32(c, &pad) < 0 || u64(c, &r.soft) < 0 || u64(c, &r.hard) < 0)
            return -1;
        PG_PUSH(s->rlimits, r);
        return 0;
    }
    case PG_T_CAPS:
        s->has_caps = 1;
        return (u64(c, &s->cap_bounding) < 0 || u64(c, &s->cap_effective) < 0 || u64(c, &s->cap_permitted) < 0
                   || u64(c, &s->cap_inheritable) < 0 || u64(c, &s->cap_ambient) < 0)
                   ? -1
                   : 0;
    case PG_T_NO_NEW_PRIVS:
        if (u32(c, &v) < 0)
            return -1;
        s->no_new_privs = v != 0;
        return 0;
    case PG_T_SECCOMP:
        if (len % 8 != 0 || len == 0)
            return pg_error("spec: seccomp program of %zu bytes is not a whole number of instructions", len);
        s->seccomp = pg_xmalloc(len);
        memcpy(s->seccomp, c->p, len);
        s->seccomp_len = len;
        return 0;
    case PG_T_READONLY_ROOT:
        if (u32(c, &v) < 0)
            return -1;
        s->readonly_root = v != 0;
        return 0;
    case PG_T_CGROUP_PROCS: PG_PUSH(s->cgroup_procs, str_n(c->p, len)); return 0;
    case PG_T_CGROUP_OOM: PG_PUSH(s->cgroup_oom, str_n(c->p, len)); return 0;
    case PG_T_CGROUP_RMDIR: PG_PUSH(s->cgroup_rmdir, str_n(c->p, len)); return 0;
    case PG_T_CLEANUP: PG_PUSH(s->cleanup, str_n(c->p, len)); return 0;
    case PG_T_STATE_DIR: s->state_dir = str_n(c->p, len); return 0;
    case PG_T_INIT:
        if (u32(c, &v) < 0)
            return -1;
        s->init = v != 0;
        return 0;
    case PG_T_OOM_SCORE_ADJ:
        s->has_oom_score_adj = 1;
        return take(c, &s->oom_score_adj, 4);
    case PG_T_UMASK:
        s->has_umask = 1;
        return u32(c, &s->umask);
    case PG_T_DEVICE: {
        struct pg_device d = {0};
        if (u32(c, &d.type) < 0 || u32(c, &d.major) < 0 || u32(c, &d.minor) < 0 || u32(c, &d.mode) < 0
            || u32(c, &d.uid) < 0 || u32(c, &d.gid) < 0 || lstr(c, &d.path) < 0)
            return -1;
        PG_PUSH(s->devices, d);
        return 0;
    }
    case PG_T_SYMLINK: {
        char *target, *path;
        if (lstr(c, &target) < 0 || lstr(c, &path) < 0)
            return -1;
        PG_PUSH(s->symlink_targets, target);
        PG_PUSH(s->symlink_paths, path);
        return 0;
    }
    case PG_T_NS_PATH: {
        struct pg_nspath n = {0};
        if (u32(c, &n.type) < 0 || lstr(c, &n.path) < 0)
            return -1;
        PG_PUSH(s->ns_paths, n);
        return 0;
    }
    case PG_T_ROOT_PROPAGATION:
        s->has_root_propagation = 1;
        return u64(c, &s->root_propagation);
    case PG_T_TTY:
        if (u32(c, &v) < 0)
            return -1;
        s->tty = v != 0;
        return 0;
    case PG_T_LOG_STDOUT: s->log_stdout = str_n(c->p, len); return 0;
    case PG_T_LOG_STDERR: s->log_stderr = str_n(c->p, len); return 0;
    case PG_T_PID_FILE: s->pid_file = str_n(c->p, len); return 0;
    case PG_T_LOOPBACK_UP:
        if (u32(c, &v) < 0)
            return -1;
        s->loopback_up = v != 0;
        return 0;
    case PG_T_UID_MAP: s->uid_map = str_n(c->p, len); return 0;
    case PG_T_GID_MAP: s->gid_map = str_n(c->p, len); return 0;
    case PG_T_PRINT_ON_START: s->print_on_start = str_n(c->p, len); return 0;
    case PG_T_PRESERVE_FDS: return u32(c, &s->preserve_fds);
    case PG_T_TARGET_PID: return u32(c, &s->target_pid);
    case PG_T_NO_PIVOT:
        if (u32(c, &v) < 0)
            return -1;
        s->no_pivot = v != 0;
        return 0;
    case PG_T_STOP_SIGNAL: return u32(c, &s->stop_signal);
    case PG_T_EXEC_FIFO: s->exec_fifo = str_n(c->p, len); return 0;
    case PG_T_CONSOLE_SOCKET: s->console_socket = str_n(c->p, len); return 0;
    case PG_T_CONSOLE_SIZE:
        s->has_console_size = 1;
        return u32(c, &s->console_rows) < 0 ? -1 : u32(c, &s->console_cols);
    case PG_T_LOG_MAX_SIZE: return u64(c, &s->log_max_size);
    case PG_T_SECCOMP_FLAGS: return u32(c, &s->seccomp_flags);
    case PG_T_HEALTH_ARG: PG_PUSH(s->health_args, str_n(c->p, len)); return 0;
    case PG_T_HEALTH_TIMING:
        return (u64(c, &s->health_interval_ms) < 0 || u64(c, &s->health_timeout_ms) < 0
                || u64(c, &s->health_start_period_ms) < 0 || u32(c, &s->health_retries) < 0) ? -1 : 0;
    case PG_T_CLEANUP_ON_FAILURE: PG_PUSH(s->cleanup_on_failure, str_n(c->p, len)); return 0;
    case PG_T_NS_RELEASE: PG_PUSH(s->ns_release, str_n(c->p, len)); return 0;
    case PG_T_ERROR_LOG:
        if (u32(c, &s->error_log_flags) < 0 || u32(c, &s->failure_code) < 0 || lstr(c, &s->error_log) < 0)
            return -1;
        if (s->error_log && !*s->error_log)
            s->error_log = NULL;
        return 0;
    case PG_T_HOOK: {
        struct pg_hook h = {0};
        if (u32(c, &h.phase) < 0 || u32(c, &h.timeout) < 0 || u32(c, &h.argc) < 0 || u32(c, &h.envc) < 0
            || lstr(c, &h.path) < 0)
            return -1;
        if (h.phase < PG_HOOK_PRESTART || h.phase > PG_HOOK_POSTSTOP || h.argc > 65536 || h.envc > 65536)
            return pg_error("spec: bad hook record");
        h.argv = pg_xmalloc((h.argc + 1) * sizeof *h.argv);
        h.envp = pg_xmalloc((h.envc + 1) * sizeof *h.envp);
        for (uint32_t i = 0; i < h.argc; i++)
            if (lstr(c, &h.argv[i]) < 0)
                return -1;
        for (uint32_t i = 0; i < h.envc; i++)
            if (lstr(c, &h.envp[i]) < 0)
                return -1;
        PG_PUSH(s->hooks, h);
        return 0;
    }
    case PG_T_HOOK_STATE: s->hook_state = str_n(c->p, len); return 0;
    case PG_T_PERSONALITY:
        s->has_personality = 1;
        return u32(c, &s->personality);
    case PG_T_INTERACTIVE:
        if (u32(c, &v) < 0)
            return -1;
        s->interactive = v != 0;
        return 0;
    default:
        return pg_error("spec: unknown record %u (pelagos and its helper differ: reinstall pelagos)", tag);
    }
}

int pg_spec_read(int fd, struct pg_spec *s)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    if (read_all(fd, &buf, &len) < 0)
        return -1;
    memset(s, 0, sizeof *s);
    s->no_new_privs = 1;
    const unsigned char *p = buf, *end = buf + len;
    int first = 1;
    while (p < end) {
        uint16_t tag, reserved;
        uint32_t n;
        if ((size_t)(end - p) < 8)
            return pg_error("spec: truncated header");
        memcpy(&tag, p, 2);
        memcpy(&reserved, p + 2, 2);
        memcpy(&n, p + 4, 4);
        p += 8;
        if ((size_t)(end - p) < n)
            return pg_error("spec: record %u runs past the end", tag);
        if (first && tag != PG_T_MAGIC)
            return pg_error("spec: missing header (pelagos and its helper differ: reinstall pelagos)");
        first = 0;
        struct cursor c = {p, p + n};
        if (parse_record(s, tag, &c) < 0)
            return -1;
        p += n;
    }
    if (first)
        return pg_error("spec: empty");
    return 0;
}
