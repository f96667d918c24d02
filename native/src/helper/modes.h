#ifndef PELAGOS_MODES_H
#define PELAGOS_MODES_H

#include "spec.h"

/*
 * What the helper does, by mode. Each returns the helper's exit code: the container's
 * (foreground), 0 (detached or created), or on failure -125/-126/-127 with pg_errbuf set.
 */
int pg_mode_foreground(const struct pg_spec *spec); /* run, exec */
int pg_mode_detached(const struct pg_spec *spec);   /* run -d, exec -d: a monitor stays behind */
int pg_mode_create(const struct pg_spec *spec);     /* OCI create: no monitor, the caller's subreaper adopts */

/* exec: join the target's namespaces (this process; its children land in the PID namespace). */
int pg_join_container(const struct pg_spec *spec);

#endif
