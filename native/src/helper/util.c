#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char pg_errbuf[PG_ERRBUF_SIZE];
int pg_errcode = 125;

int pg_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pg_errbuf, sizeof pg_errbuf, fmt, ap);
    va_end(ap);
    return -1;
}

int pg_syserror(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(pg_errbuf, sizeof pg_errbuf, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof pg_errbuf)
        snprintf(pg_errbuf + n, sizeof pg_errbuf - n, ": %s", strerror(saved));
    errno = saved;
    return -1;
}

void *pg_xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fputs("pelagos: error: out of memory\n", stderr);
        _exit(125);
    }
    return p;
}

char *pg_xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *p = pg_xmalloc(n + 1);
    memcpy(p, s, n);
    return p;
}

int pg_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int pg_write_file(const char *path, const char *content)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return pg_syserror("open %s", path);
    int r = pg_write_all(fd, content, strlen(content));
    int saved = errno;
    close(fd);
    if (r < 0) {
        errno = saved;
        return pg_syserror("write %s", path);
    }
    return 0;
}

/* write-temp + fsync + rename, so readers never see a torn file */
int pg_write_file_atomic(const char *path, const char *content)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-%d", path, (int)getpid()) >= (int)sizeof tmp)
        return pg_error("path too long: %s", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return pg_syserror("create %s", tmp);
    if (pg_write_all(fd, content, strlen(content)) < 0 || fsync(fd) < 0) {
        int saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        return pg_syserror("write %s", tmp);
    }
    close(fd);
    if (rename(tmp, path) < 0) {
        int saved = errno;
        unlink(tmp);
        errno = saved;
        return pg_syserror("rename %s", path);
    }
    return 0;
}

int pg_write_file_atomic_at(int dirfd, const char *name, const char *content)
{
    char tmp[512];
    if (snprintf(tmp, sizeof tmp, ".%s.tmp-%d", name, (int)getpid()) >= (int)sizeof tmp)
        return pg_error("name too long: %s", name);
    int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return pg_syserror("create %s", tmp);
    if (pg_write_all(fd, content, strlen(content)) < 0 || fsync(fd) < 0) {
        int saved = errno;
        close(fd);
        unlinkat(dirfd, tmp, 0);
        errno = saved;
        return pg_syserror("write %s", name);
    }
    close(fd);
    if (renameat(dirfd, tmp, dirfd, name) < 0) {
        int saved = errno;
        unlinkat(dirfd, tmp, 0);
        errno = saved;
        return pg_syserror("rename %s", name);
    }
    return 0;
}

static int rm_entry(const char *p, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (type == FTW_DP)
        rmdir(p);
    else
        unlink(p);
    return 0;
}

/* Removes a tree without following symlinks or crossing into other mounts. */
int pg_rm_rf(const char *path)
{
    if (nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
        return pg_syserror("remove %s", path);
    return 0;
}
