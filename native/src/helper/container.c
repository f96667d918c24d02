#define _GNU_SOURCE
#include "container.h"
#include "fdpass.h"
#include "hooks.h"
#include "launch.h"
#include "mount_attrs.h"
#include "protocol.h"
#include "runtime_log.h"
#include "mounts.h"
#include "security.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* OCI create, once 'start' has opened the exec FIFO: where the start's outcome goes */
static int start_fd = -1;
/* for pg_before_pivot: the channel to the parent, and our pid as the host sees it (hooks' state) */
static int hook_sync_fd = -1;
static int32_t host_pid;

void pg_child_fail(int err_fd)
{
    char buf[PG_ERRBUF_SIZE + 16];
    if (start_fd >= 0) {
        /* 'start' is waiting for the outcome: "E" and the message on one line (one write, atomic) */
        int m = snprintf(buf, sizeof buf, "E%s\n", pg_errbuf);
        if (m > 0)
            pg_write_all(start_fd, buf, (size_t)m < sizeof buf ? (size_t)m : sizeof buf - 1);
        close(start_fd);
        start_fd = -1;
    }
    int n = snprintf(buf, sizeof buf, "%d\t%s", pg_errcode, pg_errbuf);
    if (n > 0)
        pg_write_all(err_fd, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    _exit(pg_errcode);
}

static int loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return pg_syserror("bring up the loopback interface: socket");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    int saved = errno;
    close(fd);
    errno = saved;
    return rc < 0 ? pg_syserror("bring up the loopback interface") : 0;
}

static const char *env_value(const struct pg_spec *s, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = 0; i < s->env.count; i++)
        if (strncmp(s->env.items[i], key, k) == 0 && s->env.items[i][k] == '=')
            return s->env.items[i] + k + 1;
    return NULL;
}

void pg_reset_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++)
        sigaction(sig, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

int pg_exec_command(const struct pg_spec *s)
{
    if (s->args.count == 0)
        return pg_error("no command to run");
    char **argv = pg_xmalloc((s->args.count + 1) * sizeof *argv);
    memcpy(argv, s->args.items, s->args.count * sizeof *argv);
    char **envp = pg_xmalloc((s->env.count + 1) * sizeof *envp);
    memcpy(envp, s->env.items, s->env.count * sizeof *envp);
    const char *prog = argv[0];
    pg_reset_signals();
    if (strchr(prog, '/')) {
        execve(prog, argv, envp);
    } else {
        const char *path = env_value(s, "PATH");
        if (!path)
            path = DEFAULT_PATH;
        int saw_eacces = 0;
        char *dirs = pg_xstrdup(path), *save = NULL;
        for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
            char cand[4096];
            if (snprintf(cand, sizeof cand, "%s/%s", *d ? d : ".", prog) >= (int)sizeof cand)
                continue;
            execve(cand, argv, envp);
            if (errno == EACCES)
                saw_eacces = 1;
            else if (errno != ENOENT && errno != ENOTDIR)
                break;
        }
        if (errno == ENOENT || errno == ENOTDIR) {
            if (saw_eacces) {
                errno = EACCES;
            } else {
                pg_errcode = 127;
                return pg_error("exec \"%s\": executable file not found in $PATH", prog);
            }
        }
    }
    pg_errcode = (errno == ENOENT || errno == ENOTDIR) ? 127 : 126;
    return pg_syserror("exec \"%s\"", prog);
}

/* PID 1 for --init: forwards signals to the command and reaps orphans (like tini). */
__attribute__((noreturn)) static void run_init(pid_t child)
{
    /* nothing in the container may open our /proc/1/exe (the helper binary on the host) */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    sigset_t all;
    sigfillset(&all);
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0)
            continue;
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        int status;
        pid_t w;
        while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
            if (w == child)
                _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        }
    }
}

/*
 * The terminal is made inside the container's own devpts (after pivot_root), so the container
 * sees it at /dev/pts/N; the master goes to the monitor over the sync socket.
 */
static int setup_terminal(const struct pg_spec *s, int sync_fd, int building)
{
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return pg_syserror("open /dev/ptmx for the terminal");
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
        return pg_syserror("unlock the terminal");
    /* TIOCGPTPEER opens the peer by fd, not by a path the container could swap (CVE-2025-52565) */
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    if (slave < 0)
        return pg_syserror("open the terminal's peer");
    /* the process owns its terminal (the group stays devpts' tty group), or it could not chmod it (mesg, write) */
    if (s->has_user && fchown(slave, s->uid, (gid_t)-1) < 0)
        return pg_syserror("give the terminal to user %u", s->uid);
    if (pg_send_fd(sync_fd, master) < 0)
        return pg_syserror("hand the terminal to the monitor");
    close(master);
    /* wait until the parent has given the terminal its size: the command may ask for it at once */
    char ack;
    if (read(sync_fd, &ack, 1) != 1)
        return pg_error("the monitor went away while setting up the terminal");
    if (building) {
        /* the OCI spec's /dev/console: the terminal, bound by fd onto a file we create */
        int c = open("/dev/console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (c >= 0) {
            close(c);
            char src[64];
            snprintf(src, sizeof src, "/proc/self/fd/%d", slave);
            if (mount(src, "/dev/console", NULL, MS_BIND, NULL) < 0)
                return pg_syserror("bind the terminal to /dev/console");
        }
    }
    if (ioctl(slave, TIOCSCTTY, 0) < 0)
        return pg_syserror("make the terminal the controlling terminal");
    for (int i = 0; i < 3; i++)
        if (dup2(slave, i) < 0)
            return pg_syserror("attach the terminal");
    if (slave > 2)
        close(slave);
    return 0;
}

/*
 * OCI create: block until "pelagos start" opens the FIFO. The FIFO stays open: the outcome of
 * the rest of the start (the filter, startContainer hooks) is written to it before exec.
 */
static int wait_for_start(int fifo_fd, int sync_fd)
{
    if (pg_write_all(sync_fd, "R", 1) < 0)
        return pg_syserror("report readiness");
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fifo_fd);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return pg_syserror("open the exec fifo");
    close(fifo_fd);
    start_fd = fd;
    return 0;
}

/* Reads exactly n bytes (the parent writes each message in one go, but a stream may split it). */
static int read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

int pg_before_pivot(const struct pg_spec *s)
{
    static int done;
    if (done)
        return 0;
    done = 1;
    if (pg_hooks_hold(s)) {
        /* the parent runs prestart and createRuntime now, while we wait in our namespaces */
        char go = 0;
        if (pg_write_all(hook_sync_fd, "H", 1) < 0)
            return pg_syserror("report readiness for the hooks");
        if (read(hook_sync_fd, &go, 1) != 1 || go != 's')
            _exit(125); /* a hook failed: the parent reports it and reaps us */
    }
    /* in the container's namespaces with the host's paths still visible, the root as cwd (OCI spec) */
    return pg_run_hooks(s, PG_HOOK_CREATE_CONTAINER, "created", host_pid);
}

__attribute__((noreturn)) void pg_container_main(const struct pg_spec *s, int sync_fd, int err_fd, const int stdio[3])
{
    /* die with the monitor; then wait for it to place us in the cgroups (and write id maps) */
    if (s->mode != PG_MODE_CREATE && s->mode != PG_MODE_EXEC_CREATE)
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    /* the console socket is the parent's to answer on; the container must not hold the connection */
    if (pg_console_socket_fd() >= 0)
        close(pg_console_socket_fd());
    /* "g" and our pid as the host sees it */
    char go[1 + sizeof host_pid];
    if (read_full(sync_fd, go, sizeof go) < 0)
        _exit(125);
    memcpy(&host_pid, go + 1, sizeof host_pid);
    hook_sync_fd = sync_fd;
    pg_debug("child process in init(): process %d, %s", (int)host_pid,
             s->mode == PG_MODE_EXEC || s->mode == PG_MODE_EXEC_DETACH || s->mode == PG_MODE_EXEC_CREATE
                 ? "in the container's namespaces" : "building the container");
    if (setsid() < 0) {
        pg_syserror("setsid");
        pg_child_fail(err_fd);
    }
    for (int i = 0; i < 3; i++) {
        if (stdio[i] >= 0 && stdio[i] != i && dup2(stdio[i], i) < 0) {
            pg_syserror("attach stdio");
            pg_child_fail(err_fd);
        }
    }
    /* opened by the parent on the host (before any user namespace); reopened for writing by fd once inside */
    int fifo_fd = s->exec_fifo ? pg_exec_fifo_fd() : -1;
    /* an exec joins a container that is already built: nothing to mount or name */
    int building = s->mode != PG_MODE_EXEC && s->mode != PG_MODE_EXEC_DETACH && s->mode != PG_MODE_EXEC_CREATE;
    /*
     * in a user namespace (new, once the parent has written the id maps, or joined by path), become
     * its root: the process still has the host's ids, which the maps usually leave unmapped (nobody),
     * and what it creates in the container's own mounts (/dev nodes, cgroup dirs) would fail EOVERFLOW
     */
    if (building && pg_in_user_namespace(s) && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
        pg_syserror("become root in the user namespace (are 0 and the container's ids mapped?)");
        pg_child_fail(err_fd);
    }
    if (building && (s->clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0) {
        pg_syserror("create the cgroup namespace");
        pg_child_fail(err_fd);
    }
    if (building && (s->clone_flags & CLONE_NEWNET) && s->loopback_up && loopback_up() < 0)
        pg_child_fail(err_fd);
    if (building && (s->clone_flags & CLONE_NEWNS) && pg_setup_rootfs(s) < 0)
        pg_child_fail(err_fd);
    /* without a mount namespace there is no pivot_root: the hooks' moment is here */
    if (building && pg_before_pivot(s) < 0)
        pg_child_fail(err_fd);
    if (building && s->hostname && (s->clone_flags & CLONE_NEWUTS) && sethostname(s->hostname, strlen(s->hostname)) < 0) {
        pg_syserror("set hostname %s", s->hostname);
        pg_child_fail(err_fd);
    }
    if ((building && pg_finish_rootfs(s) < 0) || pg_apply_rlimits(s) < 0)
        pg_child_fail(err_fd);
    if (s->tty && setup_terminal(s, sync_fd, building) < 0)
        pg_child_fail(err_fd);
    if (building && pg_apply_deferred_readonly() < 0)
        pg_child_fail(err_fd);
    if (s->has_personality && personality(s->personality) < 0) {
        pg_syserror("set personality 0x%x", s->personality);
        pg_child_fail(err_fd);
    }
    if (s->has_oom_score_adj) {
        char v[32];
        snprintf(v, sizeof v, "%d", s->oom_score_adj);
        if (pg_write_file("/proc/self/oom_score_adj", v) < 0)
            pg_child_fail(err_fd);
    }
    umask(s->has_umask ? s->umask : 022);
    /*
     * only stdio (and fds the caller asked to pass) survive exec; the sync socket, err_fd and the
     * exec FIFO close on exec. Done before any seccomp filter: older profiles lack close_range.
     */
    if (syscall(SYS_close_range, 3 + s->preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
        pg_syserror("close_range");
        pg_child_fail(err_fd);
    }
    /*
     * the working directory is entered while still privileged (root may lack CAP_DAC_OVERRIDE
     * later, yet a directory only the user can search must work too): first as root, and if that
     * fails once more as the user; only both failing is an error
     */
    const char *cwd = s->cwd ? s->cwd : "/";
    int in_cwd = chdir(cwd) == 0;
    if (pg_switch_user_and_caps(s) < 0)
        pg_child_fail(err_fd);
    if (!in_cwd && chdir(cwd) < 0) {
        /* Docker: a run that cannot enter its workdir is the runtime's failure (125), an exec's is 126 */
        pg_errcode = building ? 125 : 126;
        pg_syserror("chdir to working directory %s", cwd);
        pg_child_fail(err_fd);
    }
    if (fifo_fd >= 0 && wait_for_start(fifo_fd, sync_fd) < 0)
        pg_child_fail(err_fd);
    close(sync_fd);
    /* logged before the seccomp filter, which could forbid the write; the error pipe closes on exec */
    pg_debug(building ? "init: closing the pipe to signal completion; next: lockdown, exec %s"
                      : "setns_init: about to exec %s (after lockdown)", s->args.count ? s->args.items[0] : "?");
    if (pg_final_lockdown(s) < 0)
        pg_child_fail(err_fd);
    /* in the container's namespaces, as its user, under its filter, before its program (OCI spec) */
    if (building && pg_run_hooks(s, PG_HOOK_START_CONTAINER, "created", host_pid) < 0)
        pg_child_fail(err_fd);
    if (start_fd >= 0) {
        if (pg_write_all(start_fd, "0", 1) < 0) {
            pg_syserror("write the exec fifo");
            pg_child_fail(err_fd);
        }
        close(start_fd);
        start_fd = -1;
    }
    if (s->init) {
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, NULL);
        pid_t child = fork();
        if (child < 0) {
            pg_syserror("fork the init's child");
            pg_child_fail(err_fd);
        }
        if (child > 0) {
            close(err_fd);
            run_init(child);
        }
    }
    pg_exec_command(s);
    pg_child_fail(err_fd);
}
