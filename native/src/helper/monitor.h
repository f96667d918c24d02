#ifndef PELAGOS_MONITOR_H
#define PELAGOS_MONITOR_H

#include "spec.h"
#include <sys/types.h>

/*
 * The parent side: clones the container, places it in its cgroups, waits for it
 * to exec (or reports why it could not), forwards signals, reaps it, records the
 * exit status, cleans up, and returns the exit code (128+N for signal N).
 */
int pg_monitor_run(const struct pg_spec *spec);

/* Records that the container started: <state>/pid ("PID STARTTIME"). */
int pg_record_started(const struct pg_spec *spec, pid_t pid);

#endif
