#ifndef PELAGOS_MOUNTS_H
#define PELAGOS_MOUNTS_H

#include "spec.h"

/*
 * Builds the container's filesystem inside the (new) mount namespace and pivots
 * into it. Every target is resolved inside the root with openat2(RESOLVE_IN_ROOT)
 * and mounted through /proc/self/fd, so a symlink in the image can never send a
 * mount, a device node or a new directory onto the host (CVE-2021-30465 class).
 */
int pg_setup_rootfs(const struct pg_spec *spec);

/* After pivot_root: masked paths, sysctls, read-only paths, read-only root. */
int pg_finish_rootfs(const struct pg_spec *spec);

#endif
