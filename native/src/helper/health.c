#define _GNU_SOURCE
#include "health.h"
#include "container.h"
#include "security.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUTPUT_MAX 4096

struct pg_health {
    const struct pg_spec *spec;
    struct pg_spec check; /* the container's spec with the check's argv */
    pid_t container, running;
    int state_dirfd, out_fd;
    long long started_ms, next_ms, first_ms;
    unsigned streak;
    const char *status;
    char output[OUTPUT_MAX];
    size_t output_len;
};

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void save(struct pg_health *h, int exit_code)
{
    char buf[OUTPUT_MAX + 256];
    int n = snprintf(buf, sizeof buf, "status=%s\nfailing_streak=%u\nlast_exit=%d\nlast_output=", h->status, h->streak,
                     exit_code);
    for (size_t i = 0; i < h->output_len && n < (int)sizeof buf - 4; i++) {
        char c = h->output[i];
        /* one line: newlines as \n so the file stays key=value */
        if (c == '\n') {
            buf[n++] = '\\';
            buf[n++] = 'n';
        } else if (c == '\\') {
            buf[n++] = '\\';
            buf[n++] = '\\';
        } else {
            buf[n++] = c;
        }
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    if (h->state_dirfd >= 0)
        pg_write_file_atomic_at(h->state_dirfd, "health", buf);
}

struct pg_health *pg_health_new(const struct pg_spec *s, pid_t container, int state_dirfd)
{
    if (s->health_args.count == 0)
        return NULL;
    struct pg_health *h = pg_xmalloc(sizeof *h);
    h->spec = s;
    h->check = *s;
    h->check.args.items = s->health_args.items;
    h->check.args.count = s->health_args.count;
    h->check.tty = 0;
    h->container = container;
    h->state_dirfd = state_dirfd;
    h->out_fd = -1;
    h->first_ms = mono_ms();
    h->next_ms = h->first_ms + (long long)s->health_interval_ms;
    h->status = "starting";
    save(h, 0);
    return h;
}

/* The check's process: joins the container and runs the command as the container would. */
__attribute__((noreturn)) static void run_check(struct pg_health *h, int out)
{
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    int pidfd = (int)syscall(SYS_pidfd_open, h->container, 0);
    if (pidfd < 0 || setns(pidfd, (int)h->spec->clone_flags) < 0)
        _exit(126);
    /* setns into a PID namespace applies to children: the command runs in one */
    pid_t p = fork();
    if (p < 0)
        _exit(126);
    if (p > 0) {
        int st;
        while (waitpid(p, &st, 0) < 0 && errno == EINTR)
            ;
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    dup2(out, 1);
    dup2(out, 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
        dup2(devnull, 0);
    setsid();
    if (pg_switch_user_and_caps(&h->check) < 0 || chdir(h->check.cwd ? h->check.cwd : "/") < 0
        || syscall(SYS_close_range, 3, ~0U, 0) < 0 || pg_final_lockdown(&h->check) < 0) {
        dprintf(2, "health check: %s\n", pg_errbuf);
        _exit(126);
    }
    pg_exec_command(&h->check);
    dprintf(2, "health check: %s\n", pg_errbuf);
    _exit(pg_errcode);
}

static void start_check(struct pg_health *h)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return;
    pid_t p = fork();
    if (p < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return;
    }
    if (p == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        close(pipefd[0]);
        run_check(h, pipefd[1]);
    }
    close(pipefd[1]);
    fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
    h->out_fd = pipefd[0];
    h->running = p;
    h->started_ms = mono_ms();
    h->output_len = 0;
}

int pg_health_timeout_ms(struct pg_health *h)
{
    if (!h)
        return -1;
    long long now = mono_ms();
    long long due = h->running ? h->started_ms + (long long)h->spec->health_timeout_ms : h->next_ms;
    long long wait = due - now;
    return wait < 0 ? 0 : wait > 60000 ? 60000 : (int)wait;
}

static void drain(struct pg_health *h)
{
    if (h->out_fd < 0)
        return;
    for (;;) {
        char buf[1024];
        ssize_t n = read(h->out_fd, buf, sizeof buf);
        if (n <= 0)
            break;
        size_t room = OUTPUT_MAX - 1 - h->output_len;
        size_t take = (size_t)n < room ? (size_t)n : room;
        memcpy(h->output + h->output_len, buf, take);
        h->output_len += take;
    }
}

void pg_health_tick(struct pg_health *h)
{
    if (!h)
        return;
    long long now = mono_ms();
    if (h->running) {
        drain(h);
        if (now - h->started_ms >= (long long)h->spec->health_timeout_ms)
            kill(h->running, SIGKILL); /* counted as a failure when reaped */
        return;
    }
    if (now >= h->next_ms)
        start_check(h);
}

int pg_health_reaped(struct pg_health *h, pid_t pid, int status)
{
    if (!h || pid != h->running)
        return 0;
    drain(h);
    close(h->out_fd);
    h->out_fd = -1;
    h->running = 0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    long long now = mono_ms();
    if (code == 0) {
        h->streak = 0;
        h->status = "healthy";
    } else if (now - h->first_ms >= (long long)h->spec->health_start_period_ms) {
        /* failures during the start period do not count (Docker's rule) */
        if (++h->streak >= (h->spec->health_retries ? h->spec->health_retries : 3))
            h->status = "unhealthy";
    }
    save(h, code);
    h->next_ms = now + (long long)h->spec->health_interval_ms;
    return 1;
}
