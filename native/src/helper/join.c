/*
 * exec: join a running container. The helper joins every namespace of the container's
 * process through a pidfd (one setns, no window between namespaces); its child is then
 * born inside them, including the PID namespace.
 */
#define _GNU_SOURCE
#include "runtime_log.h"
#include "modes.h"
#include "util.h"

#include <errno.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int pg_join_container(const struct pg_spec *s)
{
    /* nothing in the container may ptrace or open us (or our child, until it execs): CVE-2016-9962, CVE-2019-5736 */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        return pg_syserror("prctl(PR_SET_DUMPABLE)");
    int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)s->target_pid, 0);
    if (pidfd < 0)
        return pg_syserror("open container process %u", s->target_pid);
    int rc = setns(pidfd, (int)s->clone_flags);
    int saved = errno;
    close(pidfd);
    errno = saved;
    if (rc < 0)
        return pg_syserror("join the namespaces of container process %u", s->target_pid);
    pg_debug("exec: joined the namespaces (0x%x) of container process %u", s->clone_flags, s->target_pid);
    return 0;
}
