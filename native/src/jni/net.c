/*
 * The libc calls of Java's netlink client (dev.pelagos.sys.net.Libc) through JNI: measured, the
 * first FFM use costs a bridge start ~100 ms, a JNI call 0.3 ms (DECISIONS §B). Java builds and
 * reads every message; these only move bytes and switch namespaces. Failures return -errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FN(name) Java_dev_pelagos_sys_net_Libc_##name

JNIEXPORT jint JNICALL FN(nativeNetlinkSocket)(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0)
        return -errno;
    struct sockaddr_nl addr;
    memset(&addr, 0, sizeof addr);
    addr.nl_family = AF_NETLINK;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

JNIEXPORT jint JNICALL FN(nativeSend)(JNIEnv *env, jclass cls, jint fd, jbyteArray jmsg)
{
    (void)cls;
    jsize len = (*env)->GetArrayLength(env, jmsg);
    jbyte *msg = (*env)->GetByteArrayElements(env, jmsg, NULL);
    ssize_t n;
    do {
        n = send(fd, msg, (size_t)len, 0);
    } while (n < 0 && errno == EINTR);
    int err = errno;
    (*env)->ReleaseByteArrayElements(env, jmsg, msg, JNI_ABORT);
    return n < 0 ? -err : (jint)n;
}

/* One datagram; null with err[0] = errno on failure. */
JNIEXPORT jbyteArray JNICALL FN(nativeRecv)(JNIEnv *env, jclass cls, jint fd, jint max, jintArray jerr)
{
    (void)cls;
    char *buf = malloc((size_t)max);
    if (!buf)
        return NULL;
    ssize_t n;
    do {
        n = recv(fd, buf, (size_t)max, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        jint err = errno;
        (*env)->SetIntArrayRegion(env, jerr, 0, 1, &err);
        free(buf);
        return NULL;
    }
    jbyteArray out = (*env)->NewByteArray(env, (jsize)n);
    if (out)
        (*env)->SetByteArrayRegion(env, out, 0, (jsize)n, (const jbyte *)buf);
    free(buf);
    return out;
}

JNIEXPORT void JNICALL FN(nativeClose)(JNIEnv *env, jclass cls, jint fd)
{
    (void)env;
    (void)cls;
    close(fd);
}

JNIEXPORT jint JNICALL FN(nativeOpen)(JNIEnv *env, jclass cls, jstring jpath)
{
    (void)cls;
    const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int err = errno;
    (*env)->ReleaseStringUTFChars(env, jpath, path);
    return fd < 0 ? -err : fd;
}

JNIEXPORT jint JNICALL FN(nativeUnshareNet)(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    return unshare(CLONE_NEWNET) < 0 ? -errno : 0;
}

JNIEXPORT jint JNICALL FN(nativeSetns)(JNIEnv *env, jclass cls, jint fd)
{
    (void)env;
    (void)cls;
    return setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

JNIEXPORT jstring JNICALL FN(nativeStrerror)(JNIEnv *env, jclass cls, jint errnum)
{
    (void)cls;
    return (*env)->NewStringUTF(env, strerror(errnum));
}
