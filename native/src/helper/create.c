/*
 * OCI create: build the container and leave its process waiting on the exec FIFO; this
 * process then exits so that the caller's subreaper (containerd's shim, conmon) adopts the
 * container process and reaps it, as runc does.
 */
#define _GNU_SOURCE
#include "fdpass.h"
#include "hooks.h"
#include "launch.h"
#include "protocol.h"
#include "modes.h"
#include "util.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int pg_mode_create(const struct pg_spec *s)
{
    int stdio[3] = {-1, -1, -1};
    struct pg_launched c;
    int code = pg_launch(s, stdio, &c);
    if (code) {
        /* a failed create leaves nothing behind (the JVM that asked is gone) */
        pg_cleanup_failed(s);
        return -code;
    }
    if (c.master >= 0) {
        int sock = pg_console_socket_fd();
        int rc = sock >= 0 ? pg_send_console(sock, s->console_socket, c.master) : 0;
        close(c.master);
        if (sock >= 0)
            close(sock);
        if (rc < 0) {
            kill(c.pid, SIGKILL);
            waitpid(c.pid, NULL, 0);
            pg_cleanup_failed(s);
            return -125;
        }
    }
    /* a 'run --detach' with hooks: the helper started it (a create leaves poststart to 'start') */
    pg_run_hooks_warn(s, PG_HOOK_POSTSTART, "running", c.pid);
    return 0;
}
