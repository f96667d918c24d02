/*
 * Foreground: this process stays the container's parent, forwards every signal it
 * gets, relays the terminal when there is one, and exits with the container's code.
 */
#define _GNU_SOURCE
#include "launch.h"
#include "modes.h"
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
    if (ioctl(0, TIOCGWINSZ, &ws) == 0)
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
    struct pg_launched c;
    int code = pg_launch(s, stdio, &c);
    if (devnull >= 0)
        close(devnull);
    if (code) {
        pg_cleanup(s);
        return -code;
    }
    int stdin_open = s->interactive;
    if (c.master >= 0) {
        make_raw();
        copy_winsize(c.master);
    }
    int status = 0, exited = 0;
    while (!exited || c.master >= 0) {
        struct pollfd p[3] = {{sfd, POLLIN, 0}, {-1, POLLIN, 0}, {-1, POLLIN, 0}};
        if (c.master >= 0) {
            p[1].fd = c.master;
            p[2].fd = stdin_open ? 0 : -1;
        }
        if (exited) {
            /* the container is gone: drain what it wrote, without waiting for more */
            fcntl(c.master, F_SETFL, O_NONBLOCK);
            while (pump(c.master, 1) > 0)
                ;
            close(c.master);
            c.master = -1;
            break;
        }
        if (poll(p, 3, -1) < 0)
            continue;
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!pump(c.master, 1)) {
                /* the terminal closed: keep waiting for the process, no longer relay */
                close(c.master);
                c.master = -1;
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
    pg_record_exit(s, status);
    pg_cleanup(s);
    return pg_exit_code(status);
}
