/*
 * Foreground: this process stays the container's parent, forwards every signal it
 * gets, relays the terminal when there is one, and exits with the container's code.
 */
#define _GNU_SOURCE
#include "hooks.h"
#include "launch.h"
#include "logwriter.h"
#include "modes.h"
#include "protocol.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_termios;
static int terminal_raw;

static void restore_terminal(void)
{
    if (terminal_raw) {
        tcsetattr(0, TCSADRAIN, &saved_termios);
        terminal_raw = 0;
    }
}

static void make_raw(void)
{
    if (!isatty(0) || tcgetattr(0, &saved_termios) < 0)
        return;
    struct termios raw = saved_termios;
    cfmakeraw(&raw);
    if (tcsetattr(0, TCSADRAIN, &raw) == 0)
        terminal_raw = 1;
}

static void copy_winsize(int master)
{
    struct winsize ws;
    if (ioctl(0, TIOCGWINSZ, &ws) == 0 || ioctl(1, TIOCGWINSZ, &ws) == 0)
        ioctl(master, TIOCSWINSZ, &ws);
}

/* Copies what is available from one fd to another; returns 0 at EOF (or EIO from a closed pty). */
static int pump(int from, int to)
{
    char buf[16384];
    ssize_t n = read(from, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 1;
    if (n <= 0)
        return 0;
    pg_write_all(to, buf, (size_t)n);
    return 1;
}

/* pump(), also appending what passed to the log as the given stream */
static int pump_logged(int from, int to, struct pg_log *log, int stream)
{
    char buf[16384];
    ssize_t n = read(from, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 1;
    if (n <= 0)
        return 0;
    pg_write_all(to, buf, (size_t)n);
    if (log)
        pg_log_write(log, stream, buf, (size_t)n);
    return 1;
}

int pg_mode_foreground(const struct pg_spec *s)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    int sfd = signalfd(-1, &all, SFD_CLOEXEC);
    if (sfd < 0) {
        pg_syserror("signalfd");
        return -125;
    }
    int stdio[3] = {-1, -1, -1};
    int devnull = -1;
    if (!s->interactive && !s->tty) {
        /* like Docker: without -i the container's stdin is empty, not the caller's terminal */
        devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
        stdio[0] = devnull;
    }
    /* a kept container's output also goes to its log (through pipes, as Docker does without -t) */
    struct pg_log *log = s->log_stdout ? pg_log_open(s->log_stdout, s->log_max_size) : NULL;
    int out[2] = {-1, -1}, err[2] = {-1, -1};
    if (log && !s->tty) {
        if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
            pg_syserror("create the output pipes");
            return -125;
        }
        stdio[1] = out[1];
        stdio[2] = err[1];
    }
    struct pg_launched c;
    int code = pg_launch(s, stdio, &c);
    if (devnull >= 0)
        close(devnull);
    if (out[1] >= 0) {
        close(out[1]);
        close(err[1]);
    }
    if (code) {
        /* a hook failed (code 1), so the container had been created: it is gone now, as after any stop */
        if (code == 1)
            pg_run_hooks_warn(s, PG_HOOK_POSTSTOP, "stopped", c.pid);
        pg_cleanup_failed(s);
        return -code;
    }
    pg_run_hooks_warn(s, PG_HOOK_POSTSTART, "running", c.pid);
    int stdin_open = s->interactive;
    if (c.master >= 0) {
        make_raw();
        copy_winsize(c.master);
    }
    int status = 0, exited = 0;
    while (!exited || c.master >= 0 || out[0] >= 0 || err[0] >= 0) {
        struct pollfd p[5] = {{sfd, POLLIN, 0}, {-1, POLLIN, 0}, {-1, POLLIN, 0}, {out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
        if (c.master >= 0) {
            p[1].fd = c.master;
            p[2].fd = stdin_open ? 0 : -1;
        }
        if (exited && c.master >= 0) {
            /* the container is gone: drain what it wrote, without waiting for more */
            fcntl(c.master, F_SETFL, O_NONBLOCK);
            while (pump_logged(c.master, 1, log, 0) > 0)
                ;
            close(c.master);
            c.master = -1;
        }
        if (poll(p, 5, exited ? 0 : -1) <= 0) {
            if (exited)
                break;
            continue;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!pump_logged(c.master, 1, log, 0)) {
                /* the terminal closed: keep waiting for the process, no longer relay */
                close(c.master);
                c.master = -1;
            }
        }
        for (int i = 0; i < 2; i++) {
            int *fd = i == 0 ? &out[0] : &err[0];
            if (*fd >= 0 && (p[3 + i].revents & (POLLIN | POLLHUP | POLLERR)) && !pump_logged(*fd, 1 + i, log, i)) {
                close(*fd);
                *fd = -1;
            }
        }
        if (p[2].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!pump(0, c.master))
                stdin_open = 0;
        }
        if (p[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof si) != sizeof si)
                continue;
            if (si.ssi_signo == SIGCHLD) {
                while (!exited) {
                    pid_t w = waitpid(c.pid, &status, WNOHANG);
                    if (w == c.pid)
                        exited = 1;
                    else
                        break;
                }
            } else if (si.ssi_signo == SIGWINCH) {
                if (c.master >= 0)
                    copy_winsize(c.master);
            } else {
                kill(c.pid, (int)si.ssi_signo);
            }
        }
    }
    restore_terminal();
    if (log)
        pg_log_close(log);
    pg_record_exit(s, status);
    pg_run_hooks_warn(s, PG_HOOK_POSTSTOP, "stopped", c.pid);
    pg_cleanup(s);
    return pg_exit_code(status);
}
