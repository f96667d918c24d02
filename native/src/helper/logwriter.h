#ifndef PELAGOS_LOGWRITER_H
#define PELAGOS_LOGWRITER_H

#include <stddef.h>
#include <stdint.h>

/*
 * The container log, in the CRI format containerd and CRI-O use:
 *   2026-11-29T21:39:06.123456789Z stdout F a complete line
 *   2026-11-29T21:39:06.123456789Z stderr P a partial line (no newline yet)
 * Rotated to PATH.1 past max_size bytes, so a chatty container cannot fill the disk.
 */
struct pg_log;

struct pg_log *pg_log_open(const char *path, uint64_t max_size);
/* Appends data read from one stream (0 = stdout, 1 = stderr), splitting it into lines. */
void pg_log_write(struct pg_log *log, int stream, const char *data, size_t len);
/* Writes out any unfinished line of the stream as a partial record. */
void pg_log_flush(struct pg_log *log, int stream);
void pg_log_close(struct pg_log *log);

#endif
