#define _GNU_SOURCE
#include "security.h"
#include "util.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *rlimit_name(uint32_t r)
{
    static const char *names[] = {"cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile",
                                  "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"};
    return r < sizeof names / sizeof *names ? names[r] : "?";
}

static void limit_text(char *buf, size_t n, uint64_t v)
{
    if (v == (uint64_t)RLIM_INFINITY)
        snprintf(buf, n, "unlimited");
    else
        snprintf(buf, n, "%llu", (unsigned long long)v);
}

int pg_apply_rlimits(const struct pg_spec *s)
{
    for (size_t i = 0; i < s->rlimits.count; i++) {
        const struct pg_rlimit *r = &s->rlimits.items[i];
        struct rlimit rl = {.rlim_cur = r->soft, .rlim_max = r->hard};
        if (setrlimit((int)r->resource, &rl) < 0) {
            char soft[32], hard[32];
            limit_text(soft, sizeof soft, r->soft);
            limit_text(hard, sizeof hard, r->hard);
            if (errno == EPERM)
                return pg_error("set ulimit %s=%s:%s: above this host's hard limit (raising it needs CAP_SYS_RESOURCE)",
                                rlimit_name(r->resource), soft, hard);
            return pg_syserror("set ulimit %s=%s:%s", rlimit_name(r->resource), soft, hard);
        }
    }
    return 0;
}

static int last_cap(void)
{
    static int cached = -1;
    if (cached >= 0)
        return cached;
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
    int v = CAP_LAST_CAP;
    if (f) {
        if (fscanf(f, "%d", &v) != 1)
            v = CAP_LAST_CAP;
        fclose(f);
    }
    cached = v;
    return v;
}

static int install_seccomp(const struct pg_spec *s)
{
    if (!s->seccomp)
        return 0;
    struct sock_fprog prog = {
        .len = (unsigned short)(s->seccomp_len / sizeof(struct sock_filter)),
        .filter = (struct sock_filter *)s->seccomp,
    };
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, s->seccomp_flags, &prog) < 0)
        return pg_syserror("install the seccomp filter");
    return 0;
}

static int set_caps(uint64_t eff, uint64_t prm, uint64_t inh)
{
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    data[0].effective = (uint32_t)eff;
    data[1].effective = (uint32_t)(eff >> 32);
    data[0].permitted = (uint32_t)prm;
    data[1].permitted = (uint32_t)(prm >> 32);
    data[0].inheritable = (uint32_t)inh;
    data[1].inheritable = (uint32_t)(inh >> 32);
    return (int)syscall(SYS_capset, &hdr, data);
}

int pg_switch_user_and_caps(const struct pg_spec *s)
{
    /* With NNP off the filter needs CAP_SYS_ADMIN to install, so it goes in while we still have it. */
    if (!s->no_new_privs && install_seccomp(s) < 0)
        return -1;
    if (s->has_caps) {
        int last = last_cap();
        for (int c = 0; c <= last; c++) {
            if (!(s->cap_bounding & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
                return pg_syserror("drop capability %d from the bounding set", c);
        }
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
            return pg_syserror("prctl(PR_SET_KEEPCAPS)");
    }
    if (s->has_user) {
        gid_t groups[256];
        size_t n = s->groups.count < 256 ? s->groups.count : 256;
        for (size_t i = 0; i < n; i++)
            groups[i] = s->groups.items[i];
        /* always set (even to none): otherwise the process keeps root's groups (CVE-2023-25173 class) */
        if (setgroups(n, groups) < 0 && errno != EPERM)
            return pg_syserror("setgroups");
        if (setresgid(s->gid, s->gid, s->gid) < 0)
            return pg_syserror("setgid %u", s->gid);
        if (setresuid(s->uid, s->uid, s->uid) < 0)
            return pg_syserror("setuid %u", s->uid);
    }
    if (s->has_caps) {
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
            return pg_syserror("prctl(PR_SET_KEEPCAPS)");
        if (set_caps(s->cap_effective, s->cap_permitted, s->cap_inheritable) < 0)
            return pg_syserror("set capabilities");
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
            return pg_syserror("clear ambient capabilities");
        int last = last_cap();
        for (int c = 0; c <= last; c++) {
            if ((s->cap_ambient & (1ULL << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
                return pg_syserror("raise ambient capability %d", c);
        }
    }
    return 0;
}

int pg_final_lockdown(const struct pg_spec *s)
{
    if (s->no_new_privs) {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
            return pg_syserror("prctl(PR_SET_NO_NEW_PRIVS)");
        return install_seccomp(s);
    }
    return 0;
}
