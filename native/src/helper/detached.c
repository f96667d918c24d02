/*
 * Detached: the caller returns as soon as the container runs; a small monitor (this
 * program, a few hundred KiB) stays behind holding the container's output pipes or
 * terminal, writing the log, forwarding signals, and recording the exit status.
 */
#define _GNU_SOURCE
#include "health.h"
#include "launch.h"
#include "logwriter.h"
#include "modes.h"
#include "protocol.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static int read_report(int fd)
{
    char buf[PG_ERRBUF_SIZE - 32];
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fd, buf + got, sizeof buf - 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    if (strncmp(buf, "OK", 2) == 0)
        return 0;
    if (got == 0) {
        pg_error("the container monitor died during start");
        return 125;
    }
    char *tab = strchr(buf, '\t');
    snprintf(pg_errbuf, sizeof pg_errbuf, "%s", tab ? tab + 1 : buf);
    int code = atoi(buf);
    return code > 0 ? code : 125;
}

__attribute__((noreturn)) static void monitor(const struct pg_spec *s, int report)
{
    setsid();
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    int sfd = signalfd(-1, &all, SFD_CLOEXEC);
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    int out[2] = {-1, -1}, err[2] = {-1, -1};
    if (!s->tty && (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)) {
        pg_syserror("create the output pipes");
        dprintf(report, "125\t%s", pg_errbuf);
        _exit(1);
    }
    int stdio[3] = {devnull, s->tty ? devnull : out[1], s->tty ? devnull : err[1]};
    struct pg_launched c;
    int code = sfd < 0 ? 125 : pg_launch(s, stdio, &c);
    if (code) {
        if (sfd < 0)
            pg_syserror("signalfd");
        pg_cleanup_failed(s);
        dprintf(report, "%d\t%s", code, pg_errbuf);
        _exit(1);
    }
    if (!s->tty) {
        close(out[1]);
        close(err[1]);
    }
    if (s->print_on_start) {
        /* print the id through the caller's stdout before letting go of it */
        dprintf(1, "%s\n", s->print_on_start);
    }
    pg_write_all(report, "OK", 2);
    close(report);
    /* let go of the caller's terminal and files */
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
    prctl(PR_SET_NAME, "pelagos-monitor", 0, 0, 0);

    struct pg_log *log = s->log_stdout ? pg_log_open(s->log_stdout, s->log_max_size) : NULL;
    struct pg_health *health = pg_health_new(s, c.pid, pg_state_dirfd());
    int fds[2] = {s->tty ? c.master : out[0], s->tty ? -1 : err[0]};
    int status = 0, exited = 0;
    char buf[16384];
    while (fds[0] >= 0 || fds[1] >= 0 || !exited) {
        struct pollfd p[3] = {{sfd, POLLIN, 0}, {fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
        /* once the process is gone, only drain what is already buffered */
        int rc = poll(p, 3, exited ? 0 : pg_health_timeout_ms(health));
        if (!exited)
            pg_health_tick(health);
        if (rc <= 0) {
            if (exited)
                break;
            continue;
        }
        for (int i = 0; i < 2; i++) {
            if (!(p[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(fds[i], buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                close(fds[i]);
                fds[i] = -1;
                continue;
            }
            if (log)
                pg_log_write(log, i, buf, (size_t)n);
        }
        if (p[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) != sizeof si)
                continue;
            if (si.ssi_signo == SIGCHLD) {
                int st;
                pid_t w;
                while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
                    if (w == c.pid) {
                        status = st;
                        exited = 1;
                    } else {
                        pg_health_reaped(health, w, st);
                    }
                }
            } else if (!exited) {
                kill(c.pid, (int)si.ssi_signo);
            }
        }
    }
    if (log)
        pg_log_close(log);
    pg_record_exit(s, status);
    pg_cleanup(s);
    _exit(0);
}

int pg_mode_detached(const struct pg_spec *s)
{
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) {
        pg_syserror("create the report pipe");
        return -125;
    }
    pid_t m = fork();
    if (m < 0) {
        pg_syserror("fork the container monitor");
        return -125;
    }
    if (m == 0) {
        close(report[0]);
        monitor(s, report[1]);
    }
    close(report[1]);
    int code = read_report(report[0]);
    close(report[0]);
    return -code;
}
