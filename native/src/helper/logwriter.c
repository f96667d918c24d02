#define _GNU_SOURCE
#include "logwriter.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PENDING_MAX 16384

struct pg_log {
    char *path;
    int fd;
    uint64_t size, max_size;
    char pending[2][PENDING_MAX];
    size_t pending_len[2];
};

static const char *STREAM[2] = {"stdout", "stderr"};

struct pg_log *pg_log_open(const char *path, uint64_t max_size)
{
    struct pg_log *l = pg_xmalloc(sizeof *l);
    l->path = pg_xstrdup(path);
    l->max_size = max_size ? max_size : 10u << 20;
    l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
    struct stat st;
    if (l->fd >= 0 && fstat(l->fd, &st) == 0)
        l->size = (uint64_t)st.st_size;
    return l;
}

static void rotate(struct pg_log *l)
{
    char old[4096];
    snprintf(old, sizeof old, "%s.1", l->path);
    close(l->fd);
    rename(l->path, old);
    l->fd = open(l->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
    l->size = 0;
}

static void record(struct pg_log *l, int stream, char tag, const char *data, size_t len)
{
    if (l->fd < 0)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char head[96];
    int n = snprintf(head, sizeof head, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ %s %c ", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec, STREAM[stream], tag);
    if (l->size + (uint64_t)n + len + 1 > l->max_size && l->size > 0)
        rotate(l);
    /* one write per record keeps records whole for concurrent readers */
    char *buf = pg_xmalloc((size_t)n + len + 1);
    memcpy(buf, head, (size_t)n);
    memcpy(buf + n, data, len);
    buf[(size_t)n + len] = '\n';
    pg_write_all(l->fd, buf, (size_t)n + len + 1);
    free(buf);
    l->size += (uint64_t)n + len + 1;
}

void pg_log_write(struct pg_log *l, int stream, const char *data, size_t len)
{
    while (len > 0) {
        const char *nl = memchr(data, '\n', len);
        size_t take = nl ? (size_t)(nl - data) : len;
        size_t *plen = &l->pending_len[stream];
        if (nl) {
            if (*plen) {
                size_t room = PENDING_MAX - *plen;
                size_t t = take < room ? take : room;
                memcpy(l->pending[stream] + *plen, data, t);
                record(l, stream, 'F', l->pending[stream], *plen + t);
                *plen = 0;
            } else {
                record(l, stream, 'F', data, take);
            }
            data += take + 1;
            len -= take + 1;
        } else {
            if (*plen + take >= PENDING_MAX) {
                /* an endless line: write what we have as a partial record */
                memcpy(l->pending[stream] + *plen, data, PENDING_MAX - *plen);
                data += PENDING_MAX - *plen;
                len -= PENDING_MAX - *plen;
                record(l, stream, 'P', l->pending[stream], PENDING_MAX);
                *plen = 0;
                continue;
            }
            memcpy(l->pending[stream] + *plen, data, take);
            *plen += take;
            len = 0;
        }
    }
}

void pg_log_flush(struct pg_log *l, int stream)
{
    if (l->pending_len[stream]) {
        record(l, stream, 'P', l->pending[stream], l->pending_len[stream]);
        l->pending_len[stream] = 0;
    }
}

void pg_log_close(struct pg_log *l)
{
    pg_log_flush(l, 0);
    pg_log_flush(l, 1);
    if (l->fd >= 0)
        close(l->fd);
}
