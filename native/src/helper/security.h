#ifndef PELAGOS_SECURITY_H
#define PELAGOS_SECURITY_H

#include "spec.h"

int pg_apply_rlimits(const struct pg_spec *spec);
/* Supplementary groups, gid, uid, capability sets and (when NNP is off) the seccomp filter. */
int pg_switch_user_and_caps(const struct pg_spec *spec);
/* no_new_privs, then the seccomp filter as the very last step before exec. */
int pg_final_lockdown(const struct pg_spec *spec);

#endif
