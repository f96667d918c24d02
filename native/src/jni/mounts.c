/*
 * Bind mounts for Java (dev.pelagos.sys.BindMounts): CRIU restores a container under a root that
 * must be a mount point. Failures return -errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jni.h>
#include <sys/mount.h>

#define FN(name) Java_dev_pelagos_sys_BindMounts_##name

JNIEXPORT jint JNICALL FN(nativeBind)(JNIEnv *env, jclass cls, jstring jsrc, jstring jdst)
{
    (void)cls;
    const char *src = (*env)->GetStringUTFChars(env, jsrc, NULL);
    const char *dst = (*env)->GetStringUTFChars(env, jdst, NULL);
    int rc = mount(src, dst, NULL, MS_BIND | MS_REC, NULL);
    int err = errno;
    (*env)->ReleaseStringUTFChars(env, jsrc, src);
    (*env)->ReleaseStringUTFChars(env, jdst, dst);
    return rc < 0 ? -err : 0;
}

JNIEXPORT jint JNICALL FN(nativeDetach)(JNIEnv *env, jclass cls, jstring jpath)
{
    (void)cls;
    const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
    int rc = umount2(path, MNT_DETACH);
    int err = errno;
    (*env)->ReleaseStringUTFChars(env, jpath, path);
    return rc < 0 ? -err : 0;
}
