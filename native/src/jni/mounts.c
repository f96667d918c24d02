/*
 * Bind mounts for Java (dev.pelagos.sys.BindMounts): a network namespace kept on a file, the root
 * CRIU restores a container under (which must be a mount point). Failures return -errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jni.h>
#include <sys/mount.h>

#define FN(name) Java_dev_pelagos_sys_BindMounts_##name

JNIEXPORT jint JNICALL FN(bindOrErrno)(JNIEnv *env, jclass cls, jstring jsrc, jstring jdst, jboolean recursive)
{
    (void)cls;
    const char *src = (*env)->GetStringUTFChars(env, jsrc, NULL);
    const char *dst = (*env)->GetStringUTFChars(env, jdst, NULL);
    int rc = mount(src, dst, NULL, MS_BIND | (recursive ? MS_REC : 0), NULL);
    int err = errno;
    (*env)->ReleaseStringUTFChars(env, jsrc, src);
    (*env)->ReleaseStringUTFChars(env, jdst, dst);
    return rc < 0 ? -err : 0;
}

JNIEXPORT jint JNICALL FN(detachOrErrno)(JNIEnv *env, jclass cls, jstring jpath)
{
    (void)cls;
    const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
    int rc = umount2(path, MNT_DETACH);
    int err = errno;
    (*env)->ReleaseStringUTFChars(env, jpath, path);
    return rc < 0 ? -err : 0;
}
