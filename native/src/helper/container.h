#ifndef PELAGOS_CONTAINER_H
#define PELAGOS_CONTAINER_H

#include "spec.h"

/*
 * The container side of the fork: runs in the new namespaces, waits for the
 * parent's go-ahead on sync_fd, builds the root, drops privileges and execs.
 * stdio[i] >= 0 replaces fd i (detached containers write into the monitor's pipes).
 * Never returns; a failure is written to err_fd as "CODE\tmessage".
 */
__attribute__((noreturn)) void pg_container_main(const struct pg_spec *spec, int sync_fd, int err_fd, const int stdio[3]);

/* Shared with exec: reset signals, find the program on the container's PATH and execve it. */
int pg_exec_command(const struct pg_spec *spec);

/*
 * The moment before pivot_root (called by the root set-up, or after it when there is no mount
 * namespace): waits while the parent runs prestart and createRuntime hooks, then runs the
 * createContainer hooks. Runs once; -1 with pg_errbuf set on failure.
 */
int pg_before_pivot(const struct pg_spec *spec);

/* Writes the recorded failure to err_fd and exits with its code. */
__attribute__((noreturn)) void pg_child_fail(int err_fd);
/* Default dispositions and an empty mask: what a program we exec (the command, a hook) expects. */
void pg_reset_signals(void);

#endif
