/*
 * Device rules on cgroup v2: load the eBPF program Java compiled (DeviceProgram) and put it on a
 * cgroup in place of the ones there. A JNI call, not FFM, for the same reason as the hand-off:
 * it is on the start path (DECISIONS §B). Java owns the rules; this only does the bpf() calls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_OLD_PROGRAMS 64

static long bpf(int cmd, union bpf_attr *attr)
{
    return syscall(SYS_bpf, cmd, attr, sizeof *attr);
}

static jstring error(JNIEnv *env, const char *fmt, ...)
{
    char msg[4352];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return (*env)->NewStringUTF(env, msg);
}

/* the ids of the device programs on the cgroup now; -1 with errno on failure */
static int attached(int cgroup, uint32_t *ids, uint32_t max)
{
    union bpf_attr q;
    memset(&q, 0, sizeof q);
    q.query.target_fd = (uint32_t)cgroup;
    q.query.attach_type = BPF_CGROUP_DEVICE;
    q.query.prog_ids = (uint64_t)(uintptr_t)ids;
    q.query.prog_cnt = max;
    if (bpf(BPF_PROG_QUERY, &q) < 0)
        return -1;
    return (int)q.query.prog_cnt;
}

static int load(const jbyte *insns, jsize len, char *log, size_t log_size)
{
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    a.insns = (uint64_t)(uintptr_t)insns;
    a.insn_cnt = (uint32_t)(len / 8);
    a.license = (uint64_t)(uintptr_t) "Apache-2.0";
    a.log_buf = (uint64_t)(uintptr_t)log;
    a.log_size = (uint32_t)log_size;
    a.log_level = 1;
    memcpy(a.prog_name, "pelagos_devices", sizeof "pelagos_devices"); /* 15 + NUL: fits BPF_OBJ_NAME_LEN */
    int fd = (int)bpf(BPF_PROG_LOAD, &a);
    if (fd < 0 && errno == ENOSPC) {
        /* the verifier's log did not fit: load again without it, for the errno that matters */
        a.log_buf = 0;
        a.log_size = 0;
        a.log_level = 0;
        log[0] = 0;
        fd = (int)bpf(BPF_PROG_LOAD, &a);
    }
    return fd;
}

static int detach(int cgroup, uint32_t id)
{
    union bpf_attr g;
    memset(&g, 0, sizeof g);
    g.prog_id = id;
    int fd = (int)bpf(BPF_PROG_GET_FD_BY_ID, &g);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1; /* gone already */
    union bpf_attr d;
    memset(&d, 0, sizeof d);
    d.target_fd = (uint32_t)cgroup;
    d.attach_bpf_fd = (uint32_t)fd;
    d.attach_type = BPF_CGROUP_DEVICE;
    int rc = (int)bpf(BPF_PROG_DETACH, &d);
    int err = errno;
    close(fd);
    errno = err;
    return rc < 0 && err != ENOENT ? -1 : 0;
}

/*
 * Attaches the program to the cgroup directory, then detaches the device programs that were
 * there before. While both are attached the kernel allows only what both allow, so a container
 * being updated never passes through a state wider than its old or new rules.
 * Returns null, or the error as a sentence.
 */
JNIEXPORT jstring JNICALL Java_dev_pelagos_sys_CgroupDeviceProgram_replace(JNIEnv *env, jclass cls, jstring jdir,
                                                                          jbyteArray jinsns)
{
    (void)cls;
    const char *dir = (*env)->GetStringUTFChars(env, jdir, NULL);
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    (*env)->ReleaseStringUTFChars(env, jdir, dir);

    int cgroup = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cgroup < 0)
        return error(env, "open cgroup %s: %s", path, strerror(errno));
    uint32_t old[MAX_OLD_PROGRAMS];
    int n = attached(cgroup, old, MAX_OLD_PROGRAMS);
    if (n < 0) {
        int err = errno;
        close(cgroup);
        return error(env, "list the device programs of cgroup %s: %s", path, strerror(err));
    }
    jsize len = (*env)->GetArrayLength(env, jinsns);
    jbyte *insns = (*env)->GetByteArrayElements(env, jinsns, NULL);
    char *log = calloc(1, 4096);
    int prog = load(insns, len, log, 4096);
    int err = errno;
    (*env)->ReleaseByteArrayElements(env, jinsns, insns, JNI_ABORT);
    if (prog < 0) {
        jstring e = error(env, "load the device program (%d instructions) for cgroup %s: %s%s%s", (int)(len / 8), path,
                          strerror(err), *log ? "; verifier: " : "", log);
        free(log);
        close(cgroup);
        return e;
    }
    free(log);
    union bpf_attr at;
    memset(&at, 0, sizeof at);
    at.target_fd = (uint32_t)cgroup;
    at.attach_bpf_fd = (uint32_t)prog;
    at.attach_type = BPF_CGROUP_DEVICE;
    at.attach_flags = BPF_F_ALLOW_MULTI;
    if (bpf(BPF_PROG_ATTACH, &at) < 0) {
        err = errno;
        close(prog);
        close(cgroup);
        return error(env, "attach the device program to cgroup %s: %s", path, strerror(err));
    }
    close(prog); /* the cgroup holds it now */
    for (int i = 0; i < n; i++) {
        if (detach(cgroup, old[i]) < 0) {
            err = errno;
            close(cgroup);
            return error(env, "detach the old device program %u from cgroup %s: %s", old[i], path, strerror(err));
        }
    }
    close(cgroup);
    return NULL;
}
