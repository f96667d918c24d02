/*
 * pelagos-helper: the small C program that owns the fork-to-exec window
 * (DECISIONS §B). Java decides everything and hands over a spec; this program only
 * carries it out. Usage: pelagos-helper run [--spec FILE [--errors-to-log]]  (default: spec on fd 3)
 * --errors-to-log: the helper's own failures go to the spec's error log only, not to stderr (a
 * library caller that spawned us reads them there and reports them itself).
 */
#define _GNU_SOURCE
#include "launch.h"
#include "runtime_log.h"
#include "modes.h"
#include "protocol.h"
#include "spec.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct pg_spec *current;
static int errors_to_log;

static int fail(int code)
{
    if (!errors_to_log || !current || !current->error_log)
        fprintf(stderr, "pelagos: error: %s\n", pg_errbuf);
    pg_runtime_log_error();
    return current && current->failure_code ? (int)current->failure_code : code;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "pelagos-helper is started by pelagos; it is not meant to be run by hand\n");
        return 2;
    }
    /* the spec comes on fd 3 (the CLI's JNI hand-off) or from a file (library users spawning us) */
    int fd = 3;
    if (argc >= 4 && strcmp(argv[2], "--spec-fd") == 0) {
        /* the JNI hand-off says where the spec is; fds from 3 up to it may be the caller's to pass on */
        fd = atoi(argv[3]);
        if (fd < 3) {
            pg_error("bad --spec-fd %s", argv[3]);
            return fail(125);
        }
    } else if (argc >= 4 && strcmp(argv[2], "--spec") == 0) {
        errors_to_log = argc >= 5 && strcmp(argv[4], "--errors-to-log") == 0;
        fd = open(argv[3], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            pg_syserror("open spec %s", argv[3]);
            return fail(125);
        }
    }
    struct pg_spec spec;
    if (pg_spec_read(fd, &spec) < 0)
        return fail(125);
    close(fd);
    current = &spec;
    pg_runtime_log_open(spec.error_log, spec.error_log_flags);
    pg_debug("helper: spec read (mode %u, %zu arguments)", spec.mode, spec.args.count);
    if (pg_open_host_files(&spec) < 0)
        return fail(125);
    int exec = spec.mode == PG_MODE_EXEC || spec.mode == PG_MODE_EXEC_DETACH || spec.mode == PG_MODE_EXEC_CREATE;
    /* the stages are named as runc names its own (nsexec, init, setns_init): tools grep for them */
    if (exec)
        pg_debug("nsexec container setup: a process to join container process %u", spec.target_pid);
    else
        pg_debug("nsexec container setup: a new container (mode %u)", spec.mode);
    int code;
    switch (spec.mode) {
    case PG_MODE_RUN:
        code = pg_mode_foreground(&spec);
        break;
    case PG_MODE_DETACH:
        code = pg_mode_detached(&spec);
        break;
    case PG_MODE_CREATE:
        code = pg_mode_create(&spec);
        break;
    case PG_MODE_EXEC:
    case PG_MODE_EXEC_DETACH:
    case PG_MODE_EXEC_CREATE:
        if (pg_join_container(&spec) < 0)
            return fail(125);
        code = spec.mode == PG_MODE_EXEC ? pg_mode_foreground(&spec)
               : spec.mode == PG_MODE_EXEC_DETACH ? pg_mode_detached(&spec) : pg_mode_create(&spec);
        break;
    default:
        pg_error("mode %u is not supported by this helper", spec.mode);
        return fail(125);
    }
    /* negative: the helper failed (with a message); otherwise the container's own code */
    return code < 0 ? fail(-code) : code;
}
