#ifndef PELAGOS_IDMAP_H
#define PELAGOS_IDMAP_H

#include "spec.h"

/*
 * Maps the detached clone of an idmapped bind's source (tree_fd, from open_tree) through a user
 * namespace with the mount's maps, or through the one at its idmap_userns path: MOUNT_ATTR_IDMAP,
 * recursively for ridmap. Runs in the privileged parent on the host; nothing stays behind.
 */
int pg_idmap_tree(int tree_fd, const struct pg_mount *m);

/* Whether any mount of the spec is idmapped. */
int pg_has_idmapped_mounts(const struct pg_spec *spec);

#endif
