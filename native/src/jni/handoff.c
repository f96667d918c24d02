/*
 * The JVM's way out: instead of forking (the JVM never forks), the process that
 * ran Java *becomes* the helper with execv, handing it the spec on fd 3 through
 * a memfd. One JNI call, ~0.3 ms (an FFM downcall costs 15-40 ms at start-up).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/*
 * Returns only on failure, with the errno; the JVM is left intact then (nothing it uses was
 * replaced, its fds are only marked close-on-exec). The helper is told where the spec is with
 * "--spec-fd N" appended to argv. fds 3..3+keep-1 (OCI --preserve-fds) stay open across exec.
 */
JNIEXPORT jint JNICALL Java_dev_pelagos_sys_NativeHandoff_execHelper(JNIEnv *env, jclass cls, jstring jpath,
                                                                      jobjectArray jargv, jbyteArray jspec, jint keep)
{
    (void)cls;
    const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
    if (access(path, X_OK) < 0) {
        int err = errno;
        (*env)->ReleaseStringUTFChars(env, jpath, path);
        return err;
    }
    jsize argc = (*env)->GetArrayLength(env, jargv);
    char **argv = calloc((size_t)argc + 3, sizeof *argv);
    for (jsize i = 0; i < argc; i++) {
        jstring s = (jstring)(*env)->GetObjectArrayElement(env, jargv, i);
        const char *c = (*env)->GetStringUTFChars(env, s, NULL);
        argv[i] = strdup(c);
        (*env)->ReleaseStringUTFChars(env, s, c);
    }
    jsize len = (*env)->GetArrayLength(env, jspec);
    jbyte *spec = (*env)->GetByteArrayElements(env, jspec, NULL);

    int fd = memfd_create("pelagos-spec", MFD_CLOEXEC);
    int err = 0;
    if (fd < 0 || write_all(fd, (const char *)spec, (size_t)len) < 0 || lseek(fd, 0, SEEK_SET) < 0)
        err = errno;
    (*env)->ReleaseByteArrayElements(env, jspec, spec, JNI_ABORT);
    char fdarg[16];
    if (!err) {
        /* every JVM descriptor closes on exec, except the spec and the ones passed on */
        if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
            err = errno;
        for (int i = 3; !err && i < 3 + keep; i++) {
            int fl = fcntl(i, F_GETFD);
            if (fl >= 0)
                fcntl(i, F_SETFD, fl & ~FD_CLOEXEC);
        }
        if (!err && fcntl(fd, F_SETFD, 0) < 0)
            err = errno;
        snprintf(fdarg, sizeof fdarg, "%d", fd);
        argv[argc] = "--spec-fd";
        argv[argc + 1] = fdarg;
    }
    if (!err) {
        execv(path, argv);
        err = errno;
    }
    if (fd >= 0)
        close(fd);
    (*env)->ReleaseStringUTFChars(env, jpath, path);
    return err;
}

/* field 22 of /proc/PID/stat, or 0 */
static unsigned long long start_time_of(int pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return 0;
    int field = 2;
    char *save = NULL;
    for (char *tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
        if (++field == 22)
            return strtoull(tok, NULL, 10);
    return 0;
}

/*
 * Signals a process only if it is still the one we started: the pidfd pins the process,
 * then its start time is compared, so a reused PID is never signalled. Returns 0 or an errno
 * (ESRCH when it is gone or is another process now).
 */
JNIEXPORT jint JNICALL Java_dev_pelagos_sys_NativeProcess_signal(JNIEnv *env, jclass cls, jint pid, jlong start_time,
                                                                  jint sig)
{
    (void)env;
    (void)cls;
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0)
        return errno;
    int err = 0;
    if (start_time != 0 && start_time_of(pid) != (unsigned long long)start_time)
        err = ESRCH;
    else if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0)
        err = errno;
    close(fd);
    return err;
}
