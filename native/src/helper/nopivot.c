/*
 * --no-pivot: the root is moved onto "/" and entered with chroot, so the host's mounts stay in
 * the container's mount namespace underneath it. The kernel lets a new user namespace mount
 * proc or sysfs when a fully visible one exists anywhere in the mount namespace (its
 * mnt_already_visible check ignores chroot), so the host's /proc would let a process in the
 * container get an unmasked /proc. Everything outside the root is therefore detached first;
 * what cannot be detached is covered.
 */
#define _GNU_SOURCE
#include "nopivot.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

struct host_mount {
    char *path;
    int pseudo; /* proc or sysfs: must not stay visible */
};

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
            *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
            r += 3;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

static char *read_mountinfo(void)
{
    int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = pg_xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            char *bigger = realloc(buf, cap);
            if (!bigger) {
                free(buf);
                close(fd);
                errno = ENOMEM;
                return NULL;
            }
            buf = bigger;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int saved = errno;
            free(buf);
            close(fd);
            errno = saved;
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    return buf;
}

/* a is b or lies under it */
static int within(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (n == 1 && b[0] == '/')
        return 1;
    return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

static int deeper_first(const void *x, const void *y)
{
    const struct host_mount *a = x, *b = y;
    size_t la = strlen(a->path), lb = strlen(b->path);
    return la < lb ? 1 : la > lb ? -1 : 0;
}

/* Parses one mountinfo line into its mount point and whether it is proc/sysfs; 0 if malformed. */
static int parse_line(char *line, struct host_mount *out)
{
    char *save = NULL, *mountpoint = NULL;
    int field = 0;
    for (char *tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        field++;
        if (field == 5)
            mountpoint = tok;
        if (field > 5 && strcmp(tok, "-") == 0) {
            char *fstype = strtok_r(NULL, " ", &save);
            if (!mountpoint || !fstype)
                return 0;
            unescape(mountpoint);
            out->path = mountpoint;
            out->pseudo = strcmp(fstype, "proc") == 0 || strcmp(fstype, "sysfs") == 0;
            return 1;
        }
    }
    return 0;
}

static int cover(const struct host_mount *m)
{
    struct stat st;
    if (stat(m->path, &st) == 0 && S_ISDIR(st.st_mode)
        && mount("tmpfs", m->path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=0555") == 0)
        return 0;
    /* a leftover that is not proc or sysfs lets nothing be mounted; those two must go */
    return m->pseudo ? pg_syserror("hide the host's %s from the container (--no-pivot)", m->path) : 0;
}

int pg_detach_host_mounts(const char *rootfs)
{
    char root[PATH_MAX];
    if (!realpath(rootfs, root))
        return pg_syserror("resolve the root filesystem %s", rootfs);
    char *info = read_mountinfo();
    if (!info)
        return pg_syserror("read /proc/self/mountinfo");
    struct host_mount *list = NULL;
    size_t count = 0, cap = 0;
    char *save = NULL;
    for (char *line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        struct host_mount m;
        if (!parse_line(line, &m))
            continue;
        /* the root and what is under it stay; so must its ancestors, which hold it */
        if (within(m.path, root) || within(root, m.path))
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            list = realloc(list, cap * sizeof *list);
            if (!list) {
                free(info);
                return pg_error("out of memory");
            }
        }
        list[count++] = m;
    }
    /* children before parents, so each detach takes one mount and a covered parent never hides a child */
    qsort(list, count, sizeof *list, deeper_first);
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (umount2(list[i].path, MNT_DETACH) == 0)
            continue;
        /* gone with an earlier detach */
        if (errno == ENOENT)
            continue;
        /* EINVAL/EPERM: locked by the user namespace we are in (or not a mount any more): cover it */
        rc = cover(&list[i]);
    }
    free(list);
    free(info);
    return rc;
}
