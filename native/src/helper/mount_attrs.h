#ifndef PELAGOS_MOUNT_ATTRS_H
#define PELAGOS_MOUNT_ATTRS_H

#include "spec.h"

/* The mount's recursive attributes (OCI rro, rnosuid, ...) on the mount at mount_fd and all under it. */
int pg_set_recursive_attrs(int mount_fd, const struct pg_mount *m);

/* Remembers the mount at mount_fd to be made read-only by pg_apply_deferred_readonly. */
int pg_defer_readonly(int mount_fd, const char *target);
/* Makes the remembered mounts read-only: once devices, symlinks and the console exist. */
int pg_apply_deferred_readonly(void);

/*
 * In the privileged parent, before the child enters a user namespace: clones the source of
 * every bind from the host (open_tree), so that sources the container's root cannot reach
 * are still mounted, and idmaps the clones of idmapped binds. Without all_binds only the
 * idmapped binds are cloned. Sets each mount's tree_fd.
 */
int pg_clone_bind_sources(const struct pg_spec *spec, int all_binds);
/* The parent's copies, once the child has its own. */
void pg_close_bind_sources(const struct pg_spec *spec);
/* Attaches a cloned source (tree_fd) on the target; -1 with errno on failure. */
int pg_attach_tree(const struct pg_mount *m, int target_fd);
/* Whether the cloned source is a directory. */
int pg_tree_is_dir(const struct pg_mount *m);

#endif
