#ifndef PELAGOS_MOUNT_UTIL_H
#define PELAGOS_MOUNT_UTIL_H

#include "spec.h"
#include <stddef.h>
#include <stdint.h>

/* openat2(2) with O_CLOEXEC added (retries EAGAIN). */
int pg_openat2(int dirfd, const char *path, uint64_t flags, uint64_t resolve);
/* "/proc/self/fd/N": mount(2) through a descriptor we resolved safely. */
void pg_fd_path(int fd, char *buf, size_t n);
int pg_do_mount(const char *src, int target_fd, const char *fstype, unsigned long flags, const char *data);
/* One mount entry, its target resolved inside the root (rootfd). */
int pg_mount_one(int rootfd, const struct pg_mount *m);

#endif
