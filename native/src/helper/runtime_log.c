#define _GNU_SOURCE
#include "runtime_log.h"
#include "util.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int log_fd = -1;
static unsigned log_flags;

void pg_runtime_log_open(const char *path, unsigned flags)
{
    log_flags = flags;
    if (path)
        log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    else if (flags & PG_LOG_DEBUG)
        /* the container process takes our stderr as its own: its debug lines keep to the caller's */
        log_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
}

/* One line in runc's layout: logrus text (time="..." level=L msg="...") or one JSON object. */
static void emit(int fd, const char *level, const char *msg)
{
    char line[PG_ERRBUF_SIZE * 2 + 160];
    struct timespec ts;
    struct tm tm;
    char when[40];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(when + n, sizeof when - n, ".%09ldZ", ts.tv_nsec);
    int len = (log_flags & PG_LOG_JSON)
                  ? snprintf(line, sizeof line, "{\"level\":\"%s\",\"msg\":\"", level)
                  : snprintf(line, sizeof line, "time=\"%s\" level=%s msg=\"", when, level);
    /* quote for both formats: backslash and double quote escaped, control characters dropped */
    for (const char *p = msg; *p && len < (int)sizeof line - 80; p++) {
        if (*p == '"' || *p == '\\')
            line[len++] = '\\';
        if ((unsigned char)*p >= 0x20)
            line[len++] = *p;
    }
    if (log_flags & PG_LOG_JSON)
        len += snprintf(line + len, sizeof line - len, "\",\"time\":\"%s\"}\n", when);
    else
        len += snprintf(line + len, sizeof line - len, "\"\n");
    pg_write_all(fd, line, (size_t)len);
}

void pg_runtime_log_error(void)
{
    if (log_fd >= 0)
        emit(log_fd, "error", pg_errbuf);
}

void pg_debug(const char *fmt, ...)
{
    if (!(log_flags & PG_LOG_DEBUG))
        return;
    char msg[PG_ERRBUF_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    emit(log_fd >= 0 ? log_fd : STDERR_FILENO, "debug", msg);
}
