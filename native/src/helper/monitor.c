#define _GNU_SOURCE
#include "monitor.h"
#include "container.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
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
    for (char *tok = strtok(p + 1, " "); tok; tok = strtok(NULL, " ")) {
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

int pg_record_started(const struct pg_spec *s, pid_t pid)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%d %llu %lld %d\n", (int)pid, start_time_of(pid), now_ms(), (int)getpid());
    if (s->state_dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/pid", s->state_dir);
        if (pg_write_file_atomic(path, buf) < 0)
            return -1;
    }
    if (s->pid_file) {
        snprintf(buf, sizeof buf, "%d", (int)pid);
        if (pg_write_file_atomic(s->pid_file, buf) < 0)
            return -1;
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
        while (fscanf(f, "%63s %llu", key, &v) == 2) {
            if (strcmp(key, "oom_kill") == 0 && v > 0)
                hit = 1;
        }
        fclose(f);
        if (hit)
            return 1;
    }
    return 0;
}

static void remove_cgroups(const struct pg_spec *s)
{
    for (size_t i = 0; i < s->cgroup_rmdir.count; i++) {
        /* the kernel may still be tearing the last task down: retry briefly on EBUSY */
        for (int tries = 0; tries < 100; tries++) {
            if (rmdir(s->cgroup_rmdir.items[i]) == 0 || errno == ENOENT)
                break;
            if (errno != EBUSY)
                break;
            usleep(10000);
        }
    }
}

static void record_exit(const struct pg_spec *s, int code, int sig, int oom)
{
    if (!s->state_dir)
        return;
    char path[4096], buf[256];
    snprintf(path, sizeof path, "%s/exit", s->state_dir);
    snprintf(buf, sizeof buf, "exit_code=%d\nsignal=%d\noom_killed=%d\nfinished_at=%lld\n", code, sig, oom, now_ms());
    pg_write_file_atomic(path, buf);
}

static void cleanup(const struct pg_spec *s)
{
    remove_cgroups(s);
    for (size_t i = 0; i < s->cleanup.count; i++)
        pg_rm_rf(s->cleanup.items[i]);
}

static int place_in_cgroups(const struct pg_spec *s, pid_t pid)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d", (int)pid);
    for (size_t i = 0; i < s->cgroup_procs.count; i++)
        if (pg_write_file(s->cgroup_procs.items[i], buf) < 0)
            return -1;
    return 0;
}

/* Waits for the child's report: EOF means it exec'd; otherwise "CODE\tmessage". */
static int read_child_report(int fd, char *msg, size_t n)
{
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fd, msg + got, n - 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
        if (got == n - 1)
            break;
    }
    msg[got] = '\0';
    if (got == 0)
        return 0;
    char *tab = strchr(msg, '\t');
    int code = atoi(msg);
    if (tab)
        memmove(msg, tab + 1, strlen(tab + 1) + 1);
    return code > 0 ? code : 125;
}

int pg_monitor_run(const struct pg_spec *s)
{
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);

    int sv[2], errp[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
        pg_syserror("create the sync channel");
        cleanup(s);
        return -125;
    }
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(s->clone_flags | SIGCHLD), 0, 0, 0, 0);
    if (pid < 0) {
        pg_syserror("create the container process (clone)");
        cleanup(s);
        return -125;
    }
    if (pid == 0) {
        close(sv[0]);
        close(errp[0]);
        pg_container_main(s, sv[1], errp[1]);
    }
    close(sv[1]);
    close(errp[1]);

    int failed = 0;
    if (place_in_cgroups(s, pid) < 0)
        failed = 125;
    if (!failed && write(sv[0], "g", 1) != 1) {
        pg_syserror("start the container process");
        failed = 125;
    }
    close(sv[0]);
    if (failed) {
        kill(pid, SIGKILL);
    } else {
        failed = read_child_report(errp[0], pg_errbuf, sizeof pg_errbuf);
    }
    close(errp[0]);
    if (failed) {
        waitpid(pid, NULL, 0);
        cleanup(s);
        return -failed;
    }
    pg_record_started(s, pid);

    int status = 0;
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0)
            continue;
        if (sig == SIGCHLD) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid)
                break;
            continue;
        }
        kill(pid, sig);
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    int oom = oom_killed(s);
    record_exit(s, code, WIFSIGNALED(status) ? WTERMSIG(status) : 0, oom);
    cleanup(s);
    return code;
}
