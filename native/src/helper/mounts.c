#define _GNU_SOURCE
#include "mounts.h"
#include "container.h"
#include "mount_attrs.h"
#include "mount_util.h"
#include "nopivot.h"
#include "protocol.h"
#include "util.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int pg_openat2(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
    struct open_how how = {.flags = flags | O_CLOEXEC, .resolve = resolve};
    int fd;
    do {
        fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN);
    return fd;
}

static const char *rel(const char *path)
{
    while (*path == '/')
        path++;
    return *path ? path : ".";
}

void pg_fd_path(int fd, char *buf, size_t n)
{
    snprintf(buf, n, "/proc/self/fd/%d", fd);
}

/*
 * Opens `path` (relative to the root) as O_PATH, creating missing directories (and the last
 * component as a file when as_file) strictly inside the root. A last component that is a
 * dangling symlink is followed, re-rooted, and its target created (as Docker and runc do, so an
 * image whose /etc/resolv.conf points at a missing file still starts); `hops` bounds the chase.
 */
static int ensure_in_root_hops(int rootfd, const char *path, int as_file, int nofollow, int hops)
{
    uint64_t resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | (nofollow ? RESOLVE_NO_SYMLINKS : 0);
    const char *r = rel(path);
    int fd = pg_openat2(rootfd, r, O_PATH, resolve);
    if (fd >= 0 || errno != ENOENT)
        return fd;

    /* create the parent first, then the last component relative to it */
    char *copy = pg_xstrdup(r);
    char *slash = strrchr(copy, '/');
    int parent;
    const char *base;
    if (slash) {
        *slash = '\0';
        parent = ensure_in_root_hops(rootfd, copy, 0, nofollow, hops);
        base = slash + 1;
    } else {
        parent = pg_openat2(rootfd, ".", O_PATH, resolve);
        base = copy;
    }
    if (parent < 0) {
        free(copy);
        return -1;
    }
    int dfd = pg_openat2(parent, ".", O_DIRECTORY | O_RDONLY, RESOLVE_NO_SYMLINKS);
    close(parent);
    if (dfd < 0) {
        free(copy);
        return -1;
    }
    int rc;
    if (as_file) {
        rc = openat(dfd, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (rc >= 0)
            close(rc);
    } else {
        rc = mkdirat(dfd, base, 0755);
    }
    if (rc < 0 && errno == EEXIST && !nofollow) {
        /* something is there but did not resolve: a dangling symlink. Follow it inside the root. */
        char target[4096];
        ssize_t n = readlinkat(dfd, base, target, sizeof target - 1);
        if (n > 0 && hops < 40) {
            target[n] = '\0';
            char next[8192];
            if (target[0] == '/')
                snprintf(next, sizeof next, "%s", target);
            else
                snprintf(next, sizeof next, "%s/%s", slash ? copy : "", target);
            close(dfd);
            free(copy);
            return ensure_in_root_hops(rootfd, next, as_file, nofollow, hops + 1);
        }
        if (n > 0)
            errno = ELOOP;
    }
    close(dfd);
    free(copy);
    if (rc < 0 && errno != EEXIST)
        return -1;
    return pg_openat2(rootfd, r, O_PATH, resolve);
}

static int ensure_in_root(int rootfd, const char *path, int as_file, int nofollow)
{
    return ensure_in_root_hops(rootfd, path, as_file, nofollow, 0);
}

int pg_do_mount(const char *src, int target_fd, const char *fstype, unsigned long flags, const char *data)
{
    char tp[64];
    pg_fd_path(target_fd, tp, sizeof tp);
    return mount(src, tp, fstype, flags, data);
}

static int source_is_dir(const char *src)
{
    struct stat st;
    return stat(src, &st) == 0 && S_ISDIR(st.st_mode);
}

static int symlink_in_root(int rootfd, const char *target, const char *path)
{
    const char *r = rel(path);
    char *copy = pg_xstrdup(r);
    char *slash = strrchr(copy, '/');
    const char *base = slash ? slash + 1 : copy;
    if (slash)
        *slash = '\0';
    int parent = slash ? ensure_in_root(rootfd, copy, 0, 1) : dup(rootfd);
    int dfd = parent < 0 ? -1 : pg_openat2(parent, ".", O_DIRECTORY | O_RDONLY, RESOLVE_NO_SYMLINKS);
    if (parent >= 0)
        close(parent);
    int rc = dfd < 0 ? -1 : symlinkat(target, dfd, base);
    int saved = errno;
    if (dfd >= 0)
        close(dfd);
    free(copy);
    errno = saved;
    return rc < 0 && errno != EEXIST ? pg_syserror("create symlink %s", path) : 0;
}

/*
 * Copies the directory tree at sfd into dfd without following any symlink (symlinks are copied
 * as symlinks, device nodes and sockets skipped): Docker's seeding of a new volume with what
 * the image has at the mount point.
 */
static int copy_tree(int sfd, int dfd, int depth)
{
    if (depth > 64)
        return pg_error("seed volume: directory tree too deep");
    int iter = dup(sfd);
    DIR *d = iter < 0 ? NULL : fdopendir(iter);
    if (!d)
        return pg_syserror("seed volume: read directory");
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(sfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (mkdirat(dfd, e->d_name, st.st_mode & 07777) < 0 && errno != EEXIST) {
                rc = pg_syserror("seed volume: mkdir %s", e->d_name);
                break;
            }
            int cs = openat(sfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            int cd = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (cs >= 0 && cd >= 0)
                rc = copy_tree(cs, cd, depth + 1);
            if (cd >= 0) {
                fchown(cd, st.st_uid, st.st_gid);
                fchmod(cd, st.st_mode & 07777);
            }
            if (cs >= 0)
                close(cs);
            if (cd >= 0)
                close(cd);
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t n = readlinkat(sfd, e->d_name, target, sizeof target - 1);
            if (n >= 0) {
                target[n] = '\0';
                if (symlinkat(target, dfd, e->d_name) == 0)
                    fchownat(dfd, e->d_name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
            }
        } else if (S_ISREG(st.st_mode)) {
            int in = openat(sfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            int out = openat(dfd, e->d_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 07777);
            if (in >= 0 && out >= 0) {
                char buf[65536];
                ssize_t n;
                while ((n = read(in, buf, sizeof buf)) > 0)
                    if (pg_write_all(out, buf, (size_t)n) < 0)
                        break;
                fchown(out, st.st_uid, st.st_gid);
                fchmod(out, st.st_mode & 07777);
            }
            if (in >= 0)
                close(in);
            if (out >= 0)
                close(out);
        }
    }
    closedir(d);
    return rc;
}

/* Seeds an empty volume directory with the root's content at the mount point, if any. */
static int seed_volume(int rootfd, const struct pg_mount *m)
{
    int dfd = open(m->source, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return pg_syserror("seed volume %s", m->source);
    DIR *probe = fdopendir(dup(dfd));
    int empty = 1;
    struct dirent *e;
    while (probe && (e = readdir(probe)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            empty = 0;
    if (probe)
        closedir(probe);
    int rc = 0;
    if (empty) {
        int sfd = pg_openat2(rootfd, rel(m->target), O_RDONLY | O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
        if (sfd >= 0) {
            rc = copy_tree(sfd, dfd, 0);
            close(sfd);
        }
    }
    close(dfd);
    return rc;
}

int pg_mount_one(int rootfd, const struct pg_mount *m)
{
    if ((m->options & PG_MNT_SEED) && seed_volume(rootfd, m) < 0)
        return -1;
    if (m->options & PG_MNT_SYMLINK)
        return symlink_in_root(rootfd, m->source, m->target);
    if (m->options & PG_MNT_REMOUNT) {
        int fd = ensure_in_root(rootfd, m->target, 0, 1);
        if (fd < 0)
            return pg_syserror("remount %s: resolve target", m->target);
        int rc = pg_do_mount(NULL, fd, NULL, MS_REMOUNT | m->flags, *m->data ? m->data : NULL);
        int saved = errno;
        close(fd);
        errno = saved;
        return rc < 0 ? pg_syserror("remount %s", m->target) : 0;
    }
    int is_bind = (m->flags & MS_BIND) != 0;
    int cloned = is_bind && m->tree_fd >= 0;
    int as_file = (m->options & PG_MNT_MKFILE) || (is_bind && !(cloned ? pg_tree_is_dir(m) : source_is_dir(m->source)));
    if (is_bind && !cloned && (m->options & PG_MNT_OPTIONAL) && access(m->source, F_OK) != 0)
        return 0;
    if (m->idmapped && !cloned)
        return pg_error("idmapped mount of %s on %s: needs a new mount namespace (the source is mapped on the host "
                        "before the container starts)", m->source, m->target);
    int nofollow = (m->options & PG_MNT_NOFOLLOW) != 0;
    int fd = ensure_in_root(rootfd, m->target, as_file, nofollow);
    if (fd < 0 && errno == ELOOP && nofollow)
        return pg_error("mount %s on %s: it is a symlink in the rootfs, and %s must be mounted on ordinary directory",
                        *m->fstype ? m->fstype : m->source, m->target, *m->fstype ? m->fstype : m->source);
    if (fd < 0)
        return pg_syserror("mount %s on %s: resolve target", *m->fstype ? m->fstype : m->source, m->target);
    /* read-only comes afterwards: a bind is remounted below, anything else once the root is complete */
    unsigned long flags = m->flags & ~(unsigned long)MS_RDONLY;
    int defer_ro = !is_bind && (m->flags & MS_RDONLY);
    const char *src = *m->source ? m->source : m->fstype;
    int rc;
    if (cloned) {
        rc = pg_attach_tree(m, fd);
    } else {
        rc = pg_do_mount(src, fd, *m->fstype ? m->fstype : NULL, flags, *m->data ? m->data : NULL);
        if (rc < 0 && defer_ro && (errno == EROFS || errno == EACCES || errno == EPERM)) {
            /*
             * a source that can only be mounted read-only: a read-only device, or proc/sysfs in a
             * user namespace whose visible instance is locked read-only
             */
            rc = pg_do_mount(src, fd, *m->fstype ? m->fstype : NULL, m->flags, *m->data ? m->data : NULL);
            defer_ro = 0;
        }
    }
    if (rc < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return pg_syserror("mount %s on %s", src, m->target);
    }
    /* re-open: the old fd points at the covered directory, not the new mount */
    close(fd);
    if (defer_ro) {
        fd = ensure_in_root(rootfd, m->target, as_file, nofollow);
        if (fd < 0)
            return pg_syserror("mount %s on %s: resolve the new mount", src, m->target);
        rc = pg_defer_readonly(fd, m->target);
        close(fd);
        if (rc < 0)
            return -1;
    }
    if (is_bind && (m->flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC))) {
        fd = ensure_in_root(rootfd, m->target, as_file, nofollow);
        if (fd < 0)
            return pg_syserror("remount %s: resolve target", m->target);
        struct statvfs sv;
        unsigned long keep = 0;
        char tp[64];
        pg_fd_path(fd, tp, sizeof tp);
        /* keep flags the kernel has locked on the source (nosuid, nodev, ...), or the remount fails */
        if (statvfs(tp, &sv) == 0)
            keep = sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME);
        unsigned long rf = MS_BIND | MS_REMOUNT | keep | (m->flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
        if (mount(NULL, tp, NULL, rf, NULL) < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return pg_syserror("remount %s read-only", m->target);
        }
        close(fd);
    }
    if (m->propagation) {
        fd = ensure_in_root(rootfd, m->target, as_file, nofollow);
        if (fd < 0)
            return pg_syserror("set propagation of %s: resolve target", m->target);
        if (pg_do_mount(NULL, fd, NULL, m->propagation, NULL) < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return pg_syserror("set propagation of %s", m->target);
        }
        close(fd);
    }
    if (m->attr_set || m->attr_clr) {
        fd = ensure_in_root(rootfd, m->target, as_file, nofollow);
        if (fd < 0)
            return pg_syserror("set the recursive mount options of %s: resolve target", m->target);
        rc = pg_set_recursive_attrs(fd, m);
        close(fd);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int make_devices(int rootfd, const struct pg_spec *s)
{
    for (size_t i = 0; i < s->devices.count; i++) {
        const struct pg_device *d = &s->devices.items[i];
        const char *r = rel(d->path);
        char *copy = pg_xstrdup(r);
        char *slash = strrchr(copy, '/');
        const char *base = slash ? slash + 1 : copy;
        if (slash)
            *slash = '\0';
        int parent = slash ? ensure_in_root(rootfd, copy, 0, 1) : dup(rootfd);
        if (parent < 0) {
            free(copy);
            return pg_syserror("create device %s: resolve parent", d->path);
        }
        int dfd = pg_openat2(parent, ".", O_DIRECTORY | O_RDONLY, RESOLVE_NO_SYMLINKS);
        close(parent);
        if (dfd < 0) {
            free(copy);
            return pg_syserror("create device %s: open parent", d->path);
        }
        mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
        unlinkat(dfd, base, 0);
        int rc = mknodat(dfd, base, type | (d->mode & 07777), makedev(d->major, d->minor));
        if (rc == 0) {
            fchownat(dfd, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW);
            fchmodat(dfd, base, d->mode & 07777, 0);
        } else if (errno == EPERM) {
            /* no CAP_MKNOD (user namespace): bind the host's node instead */
            int fd = openat(dfd, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (fd >= 0) {
                char tp[64];
                pg_fd_path(fd, tp, sizeof tp);
                char host[4096];
                snprintf(host, sizeof host, "/%s", r);
                rc = mount(host, tp, NULL, MS_BIND, NULL);
                close(fd);
            }
        }
        close(dfd);
        if (rc < 0) {
            free(copy);
            return pg_syserror("create device %s", d->path);
        }
        free(copy);
    }
    for (size_t i = 0; i < s->symlink_paths.count; i++) {
        const char *r = rel(s->symlink_paths.items[i]);
        char *copy = pg_xstrdup(r);
        char *slash = strrchr(copy, '/');
        const char *base = slash ? slash + 1 : copy;
        if (slash)
            *slash = '\0';
        int parent = slash ? ensure_in_root(rootfd, copy, 0, 1) : dup(rootfd);
        int dfd = parent < 0 ? -1 : pg_openat2(parent, ".", O_DIRECTORY | O_RDONLY, RESOLVE_NO_SYMLINKS);
        if (parent >= 0)
            close(parent);
        if (dfd < 0 || (symlinkat(s->symlink_targets.items[i], dfd, base) < 0 && errno != EEXIST)) {
            int saved = errno;
            if (dfd >= 0)
                close(dfd);
            free(copy);
            errno = saved;
            return pg_syserror("create symlink %s", s->symlink_paths.items[i]);
        }
        close(dfd);
        free(copy);
    }
    return 0;
}

int pg_setup_rootfs(const struct pg_spec *s)
{
    /* our mounts must never propagate back to the host; the requested propagation comes after pivot_root */
    if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        return pg_syserror("make / private to the container");

    /* the root: an overlay, or the directory bound onto itself so it is a mount point for pivot_root */
    int have_root = 0;
    for (size_t i = 0; i < s->mounts.count; i++) {
        const struct pg_mount *m = &s->mounts.items[i];
        if (!(m->options & PG_MNT_ROOT))
            continue;
        have_root = 1;
        const char *src = *m->source ? m->source : s->rootfs;
        if (mount(src, s->rootfs, *m->fstype ? m->fstype : NULL, m->flags, *m->data ? m->data : NULL) < 0)
            return pg_syserror("mount the root filesystem %s on %s", *m->fstype ? m->fstype : src, s->rootfs);
    }
    if (!have_root && mount(s->rootfs, s->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        return pg_syserror("bind the root filesystem %s", s->rootfs);

    int rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return pg_syserror("open the root filesystem %s", s->rootfs);
    int made_devices = 0;
    for (size_t i = 0; i < s->mounts.count; i++) {
        const struct pg_mount *m = &s->mounts.items[i];
        if (m->options & (PG_MNT_ROOT | PG_MNT_AFTER_PIVOT))
            continue;
        /* device nodes go in right after /dev is mounted, before anything can shadow it */
        if (!made_devices && strcmp(rel(m->target), "dev/pts") == 0) {
            if (make_devices(rootfd, s) < 0) {
                close(rootfd);
                return -1;
            }
            made_devices = 1;
        }
        if (pg_mount_one(rootfd, m) < 0) {
            close(rootfd);
            return -1;
        }
    }
    if (!made_devices && make_devices(rootfd, s) < 0) {
        close(rootfd);
        return -1;
    }
    /* like Docker, a missing working directory is created (inside the root) */
    if (s->cwd) {
        int fd = ensure_in_root(rootfd, s->cwd, 0, 0);
        if (fd < 0) {
            close(rootfd);
            return pg_syserror("create working directory %s", s->cwd);
        }
        close(fd);
    }

    if (s->no_pivot && pg_detach_host_mounts(s->rootfs) < 0) {
        close(rootfd);
        return -1;
    }
    if (fchdir(rootfd) < 0) {
        close(rootfd);
        return pg_syserror("chdir to the root filesystem");
    }
    close(rootfd);
    /* OCI hooks up to createContainer see the mounted root at its host path and as the cwd */
    if (pg_before_pivot(s) < 0)
        return -1;
    if (s->no_pivot) {
        if (mount(s->rootfs, "/", NULL, MS_MOVE, NULL) < 0)
            return pg_syserror("move the root filesystem to /");
        if (chroot(".") < 0)
            return pg_syserror("chroot");
    } else {
        /* pivot_root(".", ".") stacks the old root on top of the new; detaching it leaves only the new */
        if (syscall(SYS_pivot_root, ".", ".") < 0)
            return pg_syserror("pivot_root into %s", s->rootfs);
        if (umount2(".", MNT_DETACH) < 0)
            return pg_syserror("detach the old root");
    }
    if (chdir("/") < 0)
        return pg_syserror("chdir /");
    /* OCI rootfsPropagation: applied to the new root, which is what the container sees */
    if (s->has_root_propagation && mount(NULL, "/", NULL, s->root_propagation, NULL) < 0)
        return pg_syserror("set the propagation of the root filesystem");
    return 0;
}

