/*
 * pelagos-helper: the small C program that owns the fork-to-exec window
 * (DECISIONS §B). Java decides everything and hands over a spec on fd 3; this
 * program only carries it out. Usage: pelagos-helper run   (spec on fd 3)
 */
#define _GNU_SOURCE
#include "monitor.h"
#include "protocol.h"
#include "spec.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fail(void)
{
    fprintf(stderr, "pelagos: error: %s\n", pg_errbuf);
    return pg_errcode;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "pelagos-helper is started by pelagos; it is not meant to be run by hand\n");
        return 2;
    }
    struct pg_spec spec;
    if (pg_spec_read(3, &spec) < 0)
        return fail();
    close(3);
    switch (spec.mode) {
    case PG_MODE_RUN: {
        int code = pg_monitor_run(&spec);
        if (code < 0) {
            pg_errcode = -code;
            return fail();
        }
        return code;
    }
    default:
        pg_error("mode %u is not supported by this helper", spec.mode);
        return fail();
    }
}
