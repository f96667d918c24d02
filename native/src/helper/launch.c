#define _GNU_SOURCE
#include "launch.h"
#include "runtime_log.h"
#include "container.h"
#include "fdpass.h"
#include "hooks.h"
#include "idmap.h"
#include "mount_attrs.h"
#include "protocol.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* field 22 of /proc/PID/stat: lets readers tell a reused PID from ours */
static unsigned long long start_time_of(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return 0;
    unsigned long long v = 0;
    int field = 2;
    char *save = NULL;
    for (char *tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (++field == 22) {
            v = strtoull(tok, NULL, 10);
            break;
        }
    }
    return v;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Host-side files, opened before an exec joins the container's mount namespace (after which
 * host paths no longer resolve): the cgroup.procs files and the directories of the state and
 * pid files.
 */
static int *cgroup_fds;
static int exec_fifo_fd = -1;

int pg_exec_fifo_fd(void)
{
    return exec_fifo_fd;
}
static int console_sock = -1;

int pg_console_socket_fd(void)
{
    return console_sock;
}
static int state_dirfd = -1, pidfile_dirfd = -1;
static const char *pidfile_name;

int pg_open_host_files(const struct pg_spec *s)
{
    if (s->exec_fifo) {
        /* Java cannot mkfifo without native code; the helper makes it (mode 0622 like runc's) */
        struct stat st;
        if (lstat(s->exec_fifo, &st) == 0) {
            if (!S_ISFIFO(st.st_mode))
                return pg_error("exec fifo %s exists and is not a FIFO", s->exec_fifo);
        } else if (mkfifo(s->exec_fifo, 0622) < 0 || chmod(s->exec_fifo, 0622) < 0) {
            return pg_syserror("create the exec fifo %s", s->exec_fifo);
        }
        /* host root can chown it to the container's user; a child in a user namespace could not */
        if (s->has_user && chown(s->exec_fifo, s->uid, s->gid) < 0)
            return pg_syserror("chown the exec fifo %s", s->exec_fifo);
        exec_fifo_fd = open(s->exec_fifo, O_PATH | O_CLOEXEC);
        if (exec_fifo_fd < 0)
            return pg_syserror("open the exec fifo %s", s->exec_fifo);
    }
    /* the modes that hand the terminal over (the foreground ones relay it themselves) */
    if (s->console_socket && s->tty && (s->mode == PG_MODE_CREATE || s->mode == PG_MODE_EXEC_CREATE)) {
        console_sock = pg_connect_console_socket(s->console_socket);
        if (console_sock < 0)
            return -1;
    }
    cgroup_fds = pg_xmalloc((s->cgroup_procs.count + 1) * sizeof *cgroup_fds);
    for (size_t i = 0; i < s->cgroup_procs.count; i++) {
        cgroup_fds[i] = open(s->cgroup_procs.items[i], O_WRONLY | O_CLOEXEC);
        if (cgroup_fds[i] < 0)
            return pg_syserror("open %s", s->cgroup_procs.items[i]);
    }
    if (s->state_dir) {
        state_dirfd = open(s->state_dir, O_DIRECTORY | O_PATH | O_CLOEXEC);
        if (state_dirfd < 0)
            return pg_syserror("open the state directory %s", s->state_dir);
    }
    if (s->pid_file) {
        char *copy = pg_xstrdup(s->pid_file);
        char *slash = strrchr(copy, '/');
        pidfile_name = slash ? slash + 1 : copy;
        if (slash == copy)
            pidfile_dirfd = open("/", O_DIRECTORY | O_PATH | O_CLOEXEC);
        else if (slash) {
            *slash = '\0';
            pidfile_dirfd = open(copy, O_DIRECTORY | O_PATH | O_CLOEXEC);
        } else
            pidfile_dirfd = open(".", O_DIRECTORY | O_PATH | O_CLOEXEC);
        if (pidfile_dirfd < 0)
            return pg_syserror("open the directory of the pid file %s", s->pid_file);
    }
    return 0;
}

int pg_state_dirfd(void)
{
    return state_dirfd;
}

int pg_record_started(const struct pg_spec *s, pid_t pid)
{
    char buf[128];
    if (state_dirfd >= 0) {
        /* the monitor's start time too, so a reused PID is never taken for our monitor */
        snprintf(buf, sizeof buf, "%d %llu %lld %d %llu\n", (int)pid, start_time_of(pid), now_ms(), (int)getpid(),
                 start_time_of(getpid()));
        if (pg_write_file_atomic_at(state_dirfd, "pid", buf) < 0)
            return -1;
    }
    if (pidfile_dirfd >= 0) {
        snprintf(buf, sizeof buf, "%d", (int)pid);
        if (pg_write_file_atomic_at(pidfile_dirfd, pidfile_name, buf) < 0)
            return pg_syserror("write the pid file %s", s->pid_file);
    }
    return 0;
}

static int oom_killed(const struct pg_spec *s)
{
    for (size_t i = 0; i < s->cgroup_oom.count; i++) {
        FILE *f = fopen(s->cgroup_oom.items[i], "re");
        if (!f)
            continue;
        char key[64];
        unsigned long long v;
        int hit = 0;
        while (fscanf(f, "%63s %llu", key, &v) == 2)
            if (strcmp(key, "oom_kill") == 0 && v > 0)
                hit = 1;
        fclose(f);
        if (hit)
            return 1;
    }
    return 0;
}

int pg_exit_code(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void pg_record_exit(const struct pg_spec *s, int status)
{
    if (state_dirfd < 0)
        return;
    char buf[256];
    snprintf(buf, sizeof buf, "exit_code=%d\nsignal=%d\noom_killed=%d\nfinished_at=%lld\n", pg_exit_code(status),
             WIFSIGNALED(status) ? WTERMSIG(status) : 0, oom_killed(s), now_ms());
    pg_write_file_atomic_at(state_dirfd, "exit", buf);
}

void pg_cleanup_failed(const struct pg_spec *s)
{
    pg_cleanup(s);
    for (size_t i = 0; i < s->cleanup_on_failure.count; i++)
        pg_rm_rf(s->cleanup_on_failure.items[i]);
}

void pg_cleanup(const struct pg_spec *s)
{
    for (size_t i = 0; i < s->cgroup_rmdir.count; i++) {
        /* the kernel may still be tearing the last task down: retry briefly on EBUSY */
        for (int tries = 0; tries < 100; tries++) {
            if (rmdir(s->cgroup_rmdir.items[i]) == 0 || errno != EBUSY)
                break;
            usleep(10000);
        }
    }
    for (size_t i = 0; i < s->cleanup.count; i++)
        pg_rm_rf(s->cleanup.items[i]);
}

static int place_in_cgroups(const struct pg_spec *s, pid_t pid)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%d", (int)pid);
    for (size_t i = 0; i < s->cgroup_procs.count; i++)
        if (pg_write_all(cgroup_fds[i], buf, (size_t)n) < 0)
            return pg_syserror("place the container in cgroup %s", s->cgroup_procs.items[i]);
    return 0;
}

/* The child's report: EOF means it exec'd; otherwise "CODE\tmessage". */
static int read_child_report(int fd)
{
    size_t got = 0, n = sizeof pg_errbuf;
    for (;;) {
        ssize_t r = read(fd, pg_errbuf + got, n - 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
        if (got == n - 1)
            break;
    }
    pg_errbuf[got] = '\0';
    if (got == 0)
        return 0;
    int code = atoi(pg_errbuf);
    char *tab = strchr(pg_errbuf, '\t');
    if (tab)
        memmove(pg_errbuf, tab + 1, strlen(tab + 1) + 1);
    return code > 0 ? code : 125;
}

/* Joins the namespaces given by path (OCI linux.namespaces[].path): the user namespace first. */
static int join_paths(const struct pg_spec *s)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < s->ns_paths.count; i++) {
            const struct pg_nspath *n = &s->ns_paths.items[i];
            if ((pass == 0) != (n->type == CLONE_NEWUSER))
                continue;
            int fd = open(n->path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                return pg_syserror("open namespace %s", n->path);
            int rc = setns(fd, (int)n->type);
            int saved = errno;
            close(fd);
            errno = saved;
            if (rc < 0)
                return pg_syserror("join namespace %s", n->path);
        }
    }
    return 0;
}

/*
 * Namespace files bound for this container alone (a network namespace Java configured) are let
 * go once joined, or once joining failed: from here the container's processes hold the namespace,
 * and it ends with them, its veth pair too.
 */
static void release_namespace_files(const struct pg_spec *s)
{
    for (size_t i = 0; i < s->ns_release.count; i++) {
        const char *path = s->ns_release.items[i];
        if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
            pg_debug("release namespace file %s: umount: %s", path, strerror(errno));
        if (unlink(path) < 0 && errno != ENOENT)
            pg_debug("release namespace file %s: %s", path, strerror(errno));
    }
}

int pg_in_user_namespace(const struct pg_spec *s)
{
    if (s->clone_flags & CLONE_NEWUSER)
        return 1;
    for (size_t i = 0; i < s->ns_paths.count; i++)
        if (s->ns_paths.items[i].type == CLONE_NEWUSER)
            return 1;
    return 0;
}

int pg_write_id_map(pid_t pid, const char *file, const char *map)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    return pg_write_file(path, map);
}

/*
 * The container process waits just before pivot_root (pg_before_pivot): run the prestart and
 * createRuntime hooks, on the host, then let it go on. Returns 0 or the failure's exit code.
 */
static int run_held_hooks(const struct pg_spec *s, pid_t pid, int sync_fd, int report_fd)
{
    char ready = 0;
    ssize_t n;
    do {
        n = read(sync_fd, &ready, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1 || ready != 'H') {
        int code = read_child_report(report_fd);
        if (!code) {
            pg_error("the container process ended during setup");
            code = 125;
        }
        return code;
    }
    if (pg_run_hooks(s, PG_HOOK_PRESTART, "created", pid) < 0 || pg_run_hooks(s, PG_HOOK_CREATE_RUNTIME, "created", pid) < 0)
        return pg_errcode;
    if (pg_write_all(sync_fd, "s", 1) < 0) {
        pg_syserror("let the container process go on after the hooks");
        return 125;
    }
    return 0;
}

static int fail_launch(pid_t pid, int code)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return code;
}

int pg_launch(const struct pg_spec *s, const int stdio[3], struct pg_launched *out)
{
    int sv[2], errp[2];
    out->master = -1;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
        pg_syserror("create the sync channel");
        return 125;
    }
    int exec = s->mode == PG_MODE_EXEC || s->mode == PG_MODE_EXEC_DETACH || s->mode == PG_MODE_EXEC_CREATE;
    /*
     * a child in a user namespace (new or joined) is no longer the host's root: the sources of
     * its binds are cloned here, while we still are (runc opens them the same way). Idmapped
     * binds are cloned here in any case: only the host's root may map them.
     */
    int userns = pg_in_user_namespace(s);
    if (!exec && (s->clone_flags & CLONE_NEWNS) && (userns || pg_has_idmapped_mounts(s))
        && pg_clone_bind_sources(s, userns) < 0)
        return 125;
    int joined = exec ? 0 : join_paths(s);
    release_namespace_files(s);
    if (joined < 0)
        return 125;
    /*
     * the cgroup namespace is made by the child once it is in its cgroups (after "go"), so that
     * the container sees its own cgroup as the root
     */
    unsigned long flags = exec ? 0 : s->clone_flags & ~(unsigned long)CLONE_NEWCGROUP;
    pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
    if (pid < 0) {
        pg_syserror("create the container process (clone)");
        return 125;
    }
    if (pid == 0) {
        close(sv[0]);
        close(errp[0]);
        pg_container_main(s, sv[1], errp[1], stdio);
    }
    close(sv[1]);
    close(errp[1]);
    pg_close_bind_sources(s);
    out->pid = pid;
    pg_debug("launch: container process %d cloned (namespace flags 0x%lx)", (int)pid, flags);

    /* a new user namespace gets its id maps from outside before the child goes on */
    if ((flags & CLONE_NEWUSER) && ((s->uid_map && pg_write_id_map(pid, "uid_map", s->uid_map) < 0)
                                    || (s->gid_map && pg_write_id_map(pid, "gid_map", s->gid_map) < 0))) {
        close(sv[0]);
        close(errp[0]);
        return fail_launch(pid, 125);
    }
    if ((flags & CLONE_NEWUSER) && (s->uid_map || s->gid_map))
        pg_debug("launch: id maps of process %d written", (int)pid);
    /* "go", with the pid the host sees, which the container process puts in its hooks' state */
    char go[1 + sizeof(int32_t)] = {'g'};
    int32_t host_pid = pid;
    memcpy(go + 1, &host_pid, sizeof host_pid);
    if (place_in_cgroups(s, pid) < 0 || pg_write_all(sv[0], go, sizeof go) < 0) {
        if (!*pg_errbuf)
            pg_syserror("start the container process");
        close(sv[0]);
        close(errp[0]);
        return fail_launch(pid, 125);
    }
    pg_debug("launch: process %d placed in %zu cgroup(s) and told to go on", (int)pid, s->cgroup_procs.count);
    int code = 0;
    if (pg_hooks_hold(s))
        code = run_held_hooks(s, pid, sv[0], errp[0]);
    if (!code && s->tty) {
        out->master = pg_recv_fd(sv[0]);
        if (out->master < 0)
            code = read_child_report(errp[0]);
        if (out->master < 0 && !code) {
            pg_syserror("receive the terminal");
            code = 125;
        }
        if (out->master >= 0) {
            /* the caller's window size, from whichever of stdin/stdout is a terminal, before the command runs */
            struct winsize ws = {0};
            if (s->has_console_size) {
                /* the size the caller asked for (OCI process.consoleSize) */
                ws.ws_row = (unsigned short)s->console_rows;
                ws.ws_col = (unsigned short)s->console_cols;
                ioctl(out->master, TIOCSWINSZ, &ws);
            } else if (ioctl(0, TIOCGWINSZ, &ws) == 0 || ioctl(1, TIOCGWINSZ, &ws) == 0) {
                ioctl(out->master, TIOCSWINSZ, &ws);
            }
            pg_write_all(sv[0], "w", 1);
        }
    }
    if (!code && s->exec_fifo) {
        char r = 0;
        ssize_t n;
        do {
            n = read(sv[0], &r, 1);
        } while (n < 0 && errno == EINTR);
        if (n != 1 || r != 'R')
            code = read_child_report(errp[0]);
        if (!code && (n != 1 || r != 'R')) {
            pg_error("the container process ended during setup");
            code = 125;
        }
    } else if (!code) {
        code = read_child_report(errp[0]);
    }
    close(sv[0]);
    close(errp[0]);
    if (!code)
        pg_debug(s->exec_fifo ? "launch: process %d is set up and waits on the exec fifo"
                              : "launch: process %d is set up and runs the command", (int)pid);
    if (code) {
        if (out->master >= 0)
            close(out->master);
        return fail_launch(pid, code);
    }
    pg_record_started(s, pid);
    return 0;
}
