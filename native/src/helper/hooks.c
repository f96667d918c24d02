/*
 * OCI hooks run by the helper, each at its moment in the OCI lifecycle: prestart and createRuntime
 * in the parent while the container process waits before pivot_root; createContainer in that
 * process then (its namespaces, the host's paths); startContainer in it after the filter is
 * loaded, before the user's program; for a 'run', poststart once it runs and poststop at its end.
 */
#define _GNU_SOURCE
#include "hooks.h"
#include "container.h"
#include "protocol.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *phase_name(uint32_t phase)
{
    switch (phase) {
    case PG_HOOK_PRESTART: return "prestart";
    case PG_HOOK_CREATE_RUNTIME: return "createRuntime";
    case PG_HOOK_CREATE_CONTAINER: return "createContainer";
    case PG_HOOK_START_CONTAINER: return "startContainer";
    case PG_HOOK_POSTSTART: return "poststart";
    case PG_HOOK_POSTSTOP: return "poststop";
    default: return "unknown";
    }
}

int pg_hooks_has(const struct pg_spec *s, uint32_t phase)
{
    for (size_t i = 0; i < s->hooks.count; i++)
        if (s->hooks.items[i].phase == phase)
            return 1;
    return 0;
}

int pg_hooks_hold(const struct pg_spec *s)
{
    int building = s->mode == PG_MODE_RUN || s->mode == PG_MODE_DETACH || s->mode == PG_MODE_CREATE;
    return building && (pg_hooks_has(s, PG_HOOK_PRESTART) || pg_hooks_has(s, PG_HOOK_CREATE_RUNTIME));
}

static char *state_json(const struct pg_spec *s, const char *status, pid_t pid)
{
    const char *prefix = s->hook_state ? s->hook_state : "{\"ociVersion\":\"1.0.2\"";
    size_t n = strlen(prefix) + strlen(status) + 64;
    char *json = pg_xmalloc(n);
    snprintf(json, n, "%s,\"pid\":%d,\"status\":\"%s\"}", prefix, (int)pid, status);
    return json;
}

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for the hook; 1 when its timeout passed first (it is then killed and reaped). */
static int wait_hook(pid_t pid, uint32_t timeout_s, int *status)
{
    if (!timeout_s) {
        while (waitpid(pid, status, 0) < 0)
            if (errno != EINTR)
                return -1;
        return 0;
    }
    long long deadline = monotonic_ms() + (long long)timeout_s * 1000;
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid)
            return 0;
        if (w < 0 && errno != EINTR)
            return -1;
        if (monotonic_ms() >= deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            return 1;
        }
        struct timespec tick = {0, 10 * 1000 * 1000};
        nanosleep(&tick, NULL);
    }
}

/* The errno of a failed execve, sent back through a close-on-exec pipe (nothing: it ran). */
static int exec_errno(int fd)
{
    int err = 0;
    ssize_t n;
    do {
        n = read(fd, &err, sizeof err);
    } while (n < 0 && errno == EINTR);
    close(fd);
    return n == (ssize_t)sizeof err ? err : 0;
}

static int run_one(const struct pg_hook *h, uint32_t phase, size_t index, const char *state)
{
    int in[2], report[2];
    if (pipe2(in, O_CLOEXEC) < 0)
        return pg_syserror("error running hook #%zu (%s %s): pipe", index, phase_name(phase), h->path);
    if (pipe2(report, O_CLOEXEC) < 0) {
        close(in[0]);
        close(in[1]);
        return pg_syserror("error running hook #%zu (%s %s): pipe", index, phase_name(phase), h->path);
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(in[0]);
        close(in[1]);
        close(report[0]);
        close(report[1]);
        return pg_syserror("error running hook #%zu (%s %s): fork", index, phase_name(phase), h->path);
    }
    if (pid == 0) {
        close(report[0]);
        if (dup2(in[0], 0) < 0)
            _exit(127);
        pg_reset_signals();
        /* argv[0] is the hook's args[0] when given (busybox-style tools dispatch on it), else the path */
        char *fallback[2] = {h->path, NULL};
        execve(h->path, h->argc ? h->argv : fallback, h->envp);
        int err = errno;
        (void)!write(report[1], &err, sizeof err);
        _exit(127);
    }
    close(in[0]);
    close(report[1]);
    int not_run = exec_errno(report[0]);
    if (not_run) {
        close(in[1]);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        pg_errcode = 1;
        errno = not_run;
        return pg_syserror("error running hook #%zu (%s %s): could not start it", index, phase_name(phase), h->path);
    }
    /* the hook need not read its stdin: a full pipe or a closed one must not block or kill us */
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    pg_write_all(in[1], state, strlen(state));
    close(in[1]);
    sigaction(SIGPIPE, &old, NULL);
    int status = 0;
    int rc = wait_hook(pid, h->timeout, &status);
    pg_errcode = 1;
    if (rc < 0)
        return pg_syserror("error running hook #%zu (%s %s): wait", index, phase_name(phase), h->path);
    if (rc > 0)
        return pg_error("error running hook #%zu (%s %s): timed out after %us", index, phase_name(phase), h->path,
                        h->timeout);
    if (WIFSIGNALED(status)) {
        char what[64];
        snprintf(what, sizeof what, "%s", strsignal(WTERMSIG(status)));
        what[0] = (char)tolower((unsigned char)what[0]);
        return pg_error("error running hook #%zu (%s %s): killed by signal %d (%s)", index, phase_name(phase),
                        h->path, WTERMSIG(status), what);
    }
    if (WEXITSTATUS(status) != 0)
        return pg_error("error running hook #%zu (%s %s): it failed with exit code %d", index, phase_name(phase),
                        h->path, WEXITSTATUS(status));
    pg_errcode = 125;
    return 0;
}

int pg_run_hooks(const struct pg_spec *s, uint32_t phase, const char *status, pid_t pid)
{
    if (!pg_hooks_has(s, phase))
        return 0;
    char *state = state_json(s, status, pid);
    size_t index = 0;
    int rc = 0;
    for (size_t i = 0; i < s->hooks.count && rc == 0; i++) {
        if (s->hooks.items[i].phase != phase)
            continue;
        rc = run_one(&s->hooks.items[i], phase, index++, state);
    }
    free(state);
    return rc;
}

void pg_run_hooks_warn(const struct pg_spec *s, uint32_t phase, const char *status, pid_t pid)
{
    if (!pg_hooks_has(s, phase))
        return;
    char *state = state_json(s, status, pid);
    size_t index = 0;
    for (size_t i = 0; i < s->hooks.count; i++) {
        if (s->hooks.items[i].phase != phase)
            continue;
        if (run_one(&s->hooks.items[i], phase, index++, state) < 0)
            fprintf(stderr, "pelagos: warning: %s\n", pg_errbuf);
    }
    pg_errcode = 125;
    free(state);
}
