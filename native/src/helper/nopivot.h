#ifndef PELAGOS_NOPIVOT_H
#define PELAGOS_NOPIVOT_H

/*
 * Before a --no-pivot container enters its root with chroot: detaches (or covers) every mount
 * that is neither the root, under it, nor an ancestor holding it, so that no fully visible
 * host proc or sysfs stays in the container's mount namespace.
 */
int pg_detach_host_mounts(const char *rootfs);

#endif
