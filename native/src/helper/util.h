#ifndef PELAGOS_UTIL_H
#define PELAGOS_UTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Error convention (after crun): a failing function records a message in
 * pg_errbuf with pg_error()/pg_syserror() and returns -1; callers pass -1 up.
 * Messages are lower case and name the object: "mount proc on /proc: Operation not permitted".
 */
#define PG_ERRBUF_SIZE 1024
extern char pg_errbuf[PG_ERRBUF_SIZE];
extern int pg_errcode; /* the exit code the failure maps to: 125 by default, 126/127 for exec */

int pg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int pg_syserror(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *pg_xmalloc(size_t n);
char *pg_xstrdup(const char *s);

int pg_write_all(int fd, const void *buf, size_t len);
int pg_write_file(const char *path, const char *content);
int pg_write_file_atomic(const char *path, const char *content);
/* The same inside a directory fd (for files opened before joining a container's mount namespace). */
int pg_write_file_atomic_at(int dirfd, const char *name, const char *content);
int pg_rm_rf(const char *path);

#endif
