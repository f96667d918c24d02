#ifndef PELAGOS_HOOKS_H
#define PELAGOS_HOOKS_H

#include "spec.h"
#include <sys/types.h>

/* Whether the spec has hooks of this phase (enum pg_hook_phase). */
int pg_hooks_has(const struct pg_spec *spec, uint32_t phase);

/*
 * Whether the container process must wait before pivot_root for the helper to run the prestart
 * and createRuntime hooks (on the host, with the container's namespaces already made).
 */
int pg_hooks_hold(const struct pg_spec *spec);

/*
 * Runs the phase's hooks in order, each with the state JSON on stdin (status and pid filled in),
 * exactly its env, and killed when its timeout passes. The first failure stops the rest: returns
 * -1 with pg_errbuf set (pg_errcode 1: a hook is the user's program, not the runtime).
 */
int pg_run_hooks(const struct pg_spec *spec, uint32_t phase, const char *status, pid_t pid);

/* Runs every hook of the phase; each failure is only a warning on stderr (poststart, poststop). */
void pg_run_hooks_warn(const struct pg_spec *spec, uint32_t phase, const char *status, pid_t pid);

#endif
