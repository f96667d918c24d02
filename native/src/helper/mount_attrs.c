/*
 * Mount attributes set through the new mount API: the runtime spec's recursive options
 * (rro, rnosuid, ... with mount_setattr AT_RECURSIVE), read-only flags deferred until the
 * container's filesystem is complete, and bind sources cloned by the privileged parent for a
 * child in a user namespace that could not reach them itself (or to idmap them).
 */
#define _GNU_SOURCE
#include "mount_attrs.h"
#include "idmap.h"
#include "protocol.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int setattr_fd(int fd, unsigned int flags, uint64_t set, uint64_t clr, uint64_t propagation)
{
    struct mount_attr attr = {.attr_set = set, .attr_clr = clr, .propagation = propagation};
    return mount_setattr(fd, "", AT_EMPTY_PATH | flags, &attr, sizeof attr);
}

int pg_set_recursive_attrs(int mount_fd, const struct pg_mount *m)
{
    if (!m->attr_set && !m->attr_clr)
        return 0;
    if (setattr_fd(mount_fd, AT_RECURSIVE, m->attr_set, m->attr_clr, 0) < 0)
        return pg_syserror("set the recursive mount options of %s", m->target);
    return 0;
}

/*
 * Read-only mounts (other than binds, which are remounted at once) are made read-only only
 * when everything has been created in them: a read-only /dev still gets its device nodes, its
 * symlinks and the console. The fds keep the exact mounts, whatever is mounted over them later.
 */
struct deferred_ro {
    int fd;
    char *target;
};
static PG_LIST(struct deferred_ro) deferred;

int pg_defer_readonly(int mount_fd, const char *target)
{
    if (deferred.count == deferred.cap) {
        deferred.cap = deferred.cap ? deferred.cap * 2 : 8;
        deferred.items = realloc(deferred.items, deferred.cap * sizeof *deferred.items);
        if (!deferred.items)
            return pg_error("out of memory");
    }
    int fd = fcntl(mount_fd, F_DUPFD_CLOEXEC, 3);
    if (fd < 0)
        return pg_syserror("remember %s to make it read-only", target);
    deferred.items[deferred.count++] = (struct deferred_ro){.fd = fd, .target = pg_xstrdup(target)};
    return 0;
}

int pg_apply_deferred_readonly(void)
{
    for (size_t i = 0; i < deferred.count; i++) {
        if (setattr_fd(deferred.items[i].fd, 0, MOUNT_ATTR_RDONLY, 0, 0) < 0)
            return pg_syserror("make %s read-only", deferred.items[i].target);
        close(deferred.items[i].fd);
        free(deferred.items[i].target);
    }
    deferred.count = 0;
    return 0;
}

static int is_host_bind(const struct pg_mount *m)
{
    return (m->flags & MS_BIND) && *m->source
           && !(m->options & (PG_MNT_ROOT | PG_MNT_AFTER_PIVOT | PG_MNT_REMOUNT | PG_MNT_SYMLINK));
}

int pg_clone_bind_sources(const struct pg_spec *s, int all_binds)
{
    for (size_t i = 0; i < s->mounts.count; i++) {
        struct pg_mount *m = &s->mounts.items[i];
        if (!is_host_bind(m) || !(all_binds || m->idmapped))
            continue;
        unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | ((m->flags & MS_REC) ? AT_RECURSIVE : 0);
        int fd = open_tree(AT_FDCWD, m->source, flags);
        if (fd < 0) {
            if (errno == ENOENT && (m->options & PG_MNT_OPTIONAL))
                continue;
            if (errno == EPERM && m->idmapped)
                return pg_error("idmapped mount of %s on %s: only root on the host can clone and map a mount "
                                "(a rootless runtime cannot)", m->source, m->target);
            return pg_syserror("bind %s on %s: open the source", m->source, m->target);
        }
        /*
         * the copy leaves the source's peer group: the container's mounts under it must never
         * reach the host, while the host's still reach the container (as with the rest of the root)
         */
        if (setattr_fd(fd, AT_RECURSIVE, 0, 0, MS_SLAVE) < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return pg_syserror("bind %s on %s: make the copy a slave", m->source, m->target);
        }
        /* the mapping goes on while the copy is detached: the kernel maps no mount that is attached */
        if (m->idmapped && pg_idmap_tree(fd, m) < 0) {
            close(fd);
            return -1;
        }
        m->tree_fd = fd;
    }
    return 0;
}

void pg_close_bind_sources(const struct pg_spec *s)
{
    for (size_t i = 0; i < s->mounts.count; i++) {
        if (s->mounts.items[i].tree_fd >= 0) {
            close(s->mounts.items[i].tree_fd);
            s->mounts.items[i].tree_fd = -1;
        }
    }
}

int pg_attach_tree(const struct pg_mount *m, int target_fd)
{
    if (move_mount(m->tree_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return -1;
    close(m->tree_fd);
    return 0;
}

int pg_tree_is_dir(const struct pg_mount *m)
{
    struct stat st;
    return fstat(m->tree_fd, &st) == 0 && S_ISDIR(st.st_mode);
}
