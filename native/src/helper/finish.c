/*
 * What is done to the container's filesystem after pivot_root: mounts whose source is inside the
 * container, sysctls, masked paths (over a verified /dev/null), read-only paths, read-only root.
 */
#define _GNU_SOURCE
#include "mount_util.h"
#include "mounts.h"
#include "protocol.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Verified /dev/null: a container could have replaced it with a symlink to a host upcall (CVE-2025-31133). */
static int open_dev_null(void)
{
    int fd = pg_openat2(AT_FDCWD, "/dev/null", O_PATH, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
    if (fd < 0)
        return pg_syserror("open /dev/null for masking");
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
        close(fd);
        return pg_error("refusing to mask paths: /dev/null in the container is not the null device");
    }
    return fd;
}

static int mask_paths(const struct pg_spec *s)
{
    if (s->masked.count == 0)
        return 0;
    int null_fd = open_dev_null();
    if (null_fd < 0)
        return -1;
    char nullp[64];
    pg_fd_path(null_fd, nullp, sizeof nullp);
    for (size_t i = 0; i < s->masked.count; i++) {
        const char *p = s->masked.items[i];
        int fd = pg_openat2(AT_FDCWD, p, O_PATH, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        if (fd < 0) {
            if (errno == ENOENT)
                continue;
            close(null_fd);
            return pg_syserror("mask %s", p);
        }
        struct stat st;
        int rc = fstat(fd, &st);
        if (rc == 0 && S_ISDIR(st.st_mode))
            rc = pg_do_mount("tmpfs", fd, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0555");
        else if (rc == 0)
            rc = pg_do_mount(nullp, fd, NULL, MS_BIND, NULL);
        int saved = errno;
        close(fd);
        if (rc < 0) {
            close(null_fd);
            errno = saved;
            return pg_syserror("mask %s", p);
        }
    }
    close(null_fd);
    return 0;
}

static int readonly_paths(const struct pg_spec *s)
{
    for (size_t i = 0; i < s->readonly.count; i++) {
        const char *p = s->readonly.items[i];
        int fd = pg_openat2(AT_FDCWD, p, O_PATH, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        if (fd < 0) {
            if (errno == ENOENT)
                continue;
            return pg_syserror("make %s read-only", p);
        }
        char tp[64];
        pg_fd_path(fd, tp, sizeof tp);
        int rc = mount(tp, tp, NULL, MS_BIND | MS_REC, NULL);
        close(fd);
        if (rc < 0)
            return pg_syserror("make %s read-only: bind", p);
        fd = pg_openat2(AT_FDCWD, p, O_PATH, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        if (fd < 0)
            return pg_syserror("make %s read-only: reopen", p);
        pg_fd_path(fd, tp, sizeof tp);
        struct statvfs sv;
        unsigned long keep = statvfs(tp, &sv) == 0 ? sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC) : 0;
        rc = mount(NULL, tp, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL);
        close(fd);
        if (rc < 0)
            return pg_syserror("make %s read-only", p);
    }
    return 0;
}

static int write_sysctls(const struct pg_spec *s)
{
    for (size_t i = 0; i < s->sysctls.count; i++) {
        char *kv = pg_xstrdup(s->sysctls.items[i]);
        char *eq = strchr(kv, '=');
        if (!eq)
            return pg_error("invalid sysctl '%s'", kv);
        *eq = '\0';
        char path[512];
        int n = snprintf(path, sizeof path, "/proc/sys/");
        for (char *k = kv; *k && n < (int)sizeof path - 1; k++)
            path[n++] = *k == '.' ? '/' : *k;
        path[n] = '\0';
        int fd = pg_openat2(AT_FDCWD, path, O_WRONLY, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        if (fd < 0)
            return pg_syserror("set sysctl %s", kv);
        int rc = pg_write_all(fd, eq + 1, strlen(eq + 1));
        int saved = errno;
        close(fd);
        if (rc < 0) {
            errno = saved;
            return pg_syserror("set sysctl %s", kv);
        }
        free(kv);
    }
    return 0;
}

int pg_finish_rootfs(const struct pg_spec *s)
{
    if (!(s->clone_flags & CLONE_NEWNS))
        return 0;
    for (size_t i = 0; i < s->mounts.count; i++) {
        const struct pg_mount *m = &s->mounts.items[i];
        if (!(m->options & PG_MNT_AFTER_PIVOT))
            continue;
        int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        int rc = rootfd < 0 ? -1 : pg_mount_one(rootfd, m);
        if (rootfd >= 0)
            close(rootfd);
        if (rc < 0)
            return -1;
    }
    if (write_sysctls(s) < 0 || mask_paths(s) < 0 || readonly_paths(s) < 0)
        return -1;
    if (s->readonly_root && mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0) {
        /* the root may carry locked flags; retry keeping them */
        struct statvfs sv;
        unsigned long keep = statvfs("/", &sv) == 0 ? sv.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC) : 0;
        if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL) < 0)
            return pg_syserror("remount the root filesystem read-only");
    }
    return 0;
}
