/*
 * Idmapped bind mounts (OCI mounts[].uidMappings/gidMappings with idmap/ridmap). The kernel maps a
 * mount through a user namespace's maps, so each mount gets a namespace made just for it: a child
 * cloned into a new user namespace waits while we write its maps and open the namespace, then
 * ends. The namespace lives on only in the mount that uses it.
 */
#define _GNU_SOURCE
#include "idmap.h"
#include "launch.h"
#include "runtime_log.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int pg_has_idmapped_mounts(const struct pg_spec *s)
{
    for (size_t i = 0; i < s->mounts.count; i++)
        if (s->mounts.items[i].idmapped)
            return 1;
    return 0;
}

/* The filesystem type under path, from mountinfo ("unknown" if it cannot be told): for errors only. */
static void fs_type_of(const char *path, char *out, size_t n)
{
    snprintf(out, n, "unknown");
    struct statx stx;
    if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
        return;
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f)
        return;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        if (strtoull(line, NULL, 10) != stx.stx_mnt_id)
            continue;
        char *sep = strstr(line, " - ");
        char type[64];
        if (sep && sscanf(sep + 3, "%63s", type) == 1)
            snprintf(out, n, "%s", type);
        break;
    }
    fclose(f);
}

/* The mount's map written for pid (the launch's own writer); its errors name the mount */
static int write_map(const struct pg_mount *m, pid_t pid, const char *file, const char *map)
{
    if (pg_write_id_map(pid, file, map) == 0)
        return 0;
    char why[PG_ERRBUF_SIZE];
    snprintf(why, sizeof why, "%s", pg_errbuf);
    return pg_error("idmapped mount of %s on %s: %s", m->source, m->target, why);
}

/* A user namespace with exactly the mount's maps, as an fd; -1 with pg_errbuf set. */
static int make_userns(const struct pg_mount *m)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return pg_syserror("idmapped mount of %s on %s: create a pipe", m->source, m->target);
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (pid < 0) {
        int saved = errno;
        close(p[0]);
        close(p[1]);
        errno = saved;
        return pg_syserror("idmapped mount of %s on %s: create a user namespace", m->source, m->target);
    }
    if (pid == 0) {
        /* wait until the parent is done with our namespace (or is gone: EOF either way) */
        char c;
        close(p[1]);
        while (read(p[0], &c, 1) < 0 && errno == EINTR)
            ;
        _exit(0);
    }
    close(p[0]);
    int fd = -1;
    if (write_map(m, pid, "uid_map", m->idmap_uid) == 0 && write_map(m, pid, "gid_map", m->idmap_gid) == 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            pg_syserror("idmapped mount of %s on %s: open the user namespace %s", m->source, m->target, path);
    }
    int saved = errno;
    close(p[1]);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    errno = saved;
    return fd;
}

int pg_idmap_tree(int tree_fd, const struct pg_mount *m)
{
    int ns;
    if (*m->idmap_userns) {
        ns = open(m->idmap_userns, O_RDONLY | O_CLOEXEC);
        if (ns < 0)
            return pg_syserror("idmapped mount of %s on %s: open the user namespace %s", m->source, m->target,
                               m->idmap_userns);
    } else if ((ns = make_userns(m)) < 0) {
        return -1;
    }
    int recursive = (m->idmap_flags & PG_IDMAP_RECURSIVE) != 0;
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)ns};
    int rc = mount_setattr(tree_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof attr);
    int saved = errno;
    close(ns);
    if (rc == 0) {
        pg_debug("mount: %s idmapped%s for %s", m->source, recursive ? " recursively" : "", m->target);
        return 0;
    }
    if (saved == EINVAL) {
        /* the kernel's answer for a filesystem without FS_ALLOW_IDMAP, or a mount mapped already */
        char fs[64];
        fs_type_of(m->source, fs, sizeof fs);
        return pg_error("idmapped mount of %s on %s: the %s filesystem%s does not support idmapped mounts "
                        "(or the source is idmapped already)", m->source, m->target, fs,
                        recursive ? " (or one mounted under the source)" : "");
    }
    errno = saved;
    return pg_syserror("idmapped mount of %s on %s: map the ids (mount_setattr)", m->source, m->target);
}
