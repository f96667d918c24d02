#ifndef PELAGOS_HEALTH_H
#define PELAGOS_HEALTH_H

#include "spec.h"
#include <sys/types.h>

/*
 * Docker's HEALTHCHECK, run by the monitor (no JVM): every interval the check command runs
 * inside the container (its namespaces, user, capabilities, seccomp); a pass makes it
 * "healthy", `retries` failures in a row "unhealthy"; failures in the start period do not
 * count. The state goes to <state>/health for ps and inspect.
 */
struct pg_health;

struct pg_health *pg_health_new(const struct pg_spec *spec, pid_t container, int state_dirfd);
/* Milliseconds until the next thing to do (a check to start, or a running one to time out). */
int pg_health_timeout_ms(struct pg_health *h);
/* Starts or times out a check when due. */
void pg_health_tick(struct pg_health *h);
/* When a reaped child was the running check: records its result and returns 1. */
int pg_health_reaped(struct pg_health *h, pid_t pid, int status);

#endif
