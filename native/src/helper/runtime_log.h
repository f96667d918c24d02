#ifndef PELAGOS_RUNTIME_LOG_H
#define PELAGOS_RUNTIME_LOG_H

/*
 * The OCI runtime log (global --log / --log-format / --debug, runc's line formats): errors always
 * go there when a log file is given; debug lines only with --debug, to the file or else to stderr.
 * The file is opened once on the host, before any namespace is entered, so the container's setup
 * (after pivot_root) can still write to it; the fd is close-on-exec and never reaches the process.
 */
#define PG_LOG_JSON 1u
#define PG_LOG_DEBUG 2u

/* Opens path (NULL: no file) for appending; flags are PG_LOG_*. Never fails: logging is best effort. */
void pg_runtime_log_open(const char *path, unsigned flags);
/* Writes pg_errbuf as an error line to the log file (nothing without a file: stderr has it already). */
void pg_runtime_log_error(void);
/* A debug line (with --debug only): what the helper is doing, for whoever troubleshoots a start. */
void pg_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
