#ifndef PELAGOS_LAUNCH_H
#define PELAGOS_LAUNCH_H

#include "spec.h"
#include <sys/types.h>

/* A started container process. */
struct pg_launched {
    pid_t pid;
    int master; /* the terminal's master side, or -1 */
};

/*
 * Clones the container process (into new namespaces, or, for exec, into the ones this
 * process has joined), places it in its cgroups, lets it run and waits until it has exec'd
 * (or, for OCI create, until it waits on the exec FIFO). stdio[i] >= 0 becomes its fd i.
 * OCI hooks up to startContainer run on the way, each at its moment (see hooks.h).
 * Returns 0, or the exit code its failure maps to (125/126/127) with pg_errbuf set; on
 * failure the process is already reaped.
 */
/* Writes a process's uid_map or gid_map ("inside outside count" lines); -1 with pg_errbuf set. */
int pg_write_id_map(pid_t pid, const char *file, const char *map);

/* True when the container gets a user namespace: a new one, or one joined by path. */
int pg_in_user_namespace(const struct pg_spec *s);

int pg_launch(const struct pg_spec *spec, const int stdio[3], struct pg_launched *out);

/* Opens the host-side files (cgroups, state dir, pid file dir) before any namespace is joined. */
int pg_open_host_files(const struct pg_spec *spec);

/* The exec FIFO (OCI create), opened O_PATH by pg_open_host_files, or -1. */
int pg_exec_fifo_fd(void);

/* The console socket (OCI --console-socket), connected by pg_open_host_files, or -1. */
int pg_console_socket_fd(void);

/* The container's state directory (opened by pg_open_host_files), or -1. */
int pg_state_dirfd(void);

/* Files the helper keeps about a container (all best effort, atomic). */
int pg_record_started(const struct pg_spec *spec, pid_t pid);
void pg_record_exit(const struct pg_spec *spec, int status);
/* Removes the cgroups and (for --rm) the state after the container is gone. */
void pg_cleanup(const struct pg_spec *spec);
/* After a start that failed: pg_cleanup, and also what a kept container would have kept (its state). */
void pg_cleanup_failed(const struct pg_spec *spec);
/* The shell's convention: the exit code, or 128+N when killed by signal N. */
int pg_exit_code(int status);

#endif
