/*
 * One request and its answer over a Unix stream socket, for Java (dev.pelagos.sys.UnixSockets): a
 * container's start asks the name service to serve its networks. Java's own Unix-socket channels
 * cost a start ~10 ms of class loading; this costs a system call each. Returns the answer (what
 * the server wrote before closing), or null when nobody answers in time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jni.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define FN(name) Java_dev_pelagos_sys_UnixSockets_##name

JNIEXPORT jbyteArray JNICALL FN(nativeRequest)(JNIEnv *env, jclass cls, jstring jpath, jbyteArray jrequest, jint timeout_ms)
{
    (void)cls;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
    size_t len = strlen(path);
    int ok = len < sizeof addr.sun_path;
    if (ok)
        memcpy(addr.sun_path, path, len + 1);
    (*env)->ReleaseStringUTFChars(env, jpath, path);
    if (!ok)
        return NULL;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return NULL;
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    jbyteArray out = NULL;
    char reply[256];
    size_t got = 0;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
        jsize n = (*env)->GetArrayLength(env, jrequest);
        jbyte *req = (*env)->GetByteArrayElements(env, jrequest, NULL);
        ssize_t sent = 0;
        while (sent < n) {
            ssize_t w = send(fd, req + sent, (size_t)(n - sent), MSG_NOSIGNAL);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            sent += w;
        }
        (*env)->ReleaseByteArrayElements(env, jrequest, req, JNI_ABORT);
        if (sent == n && shutdown(fd, SHUT_WR) == 0) {
            for (;;) {
                ssize_t r = recv(fd, reply + got, sizeof reply - got, 0);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r <= 0 || (got += (size_t)r) == sizeof reply) {
                    if (r == 0 || got == sizeof reply) {
                        out = (*env)->NewByteArray(env, (jsize)got);
                        if (out)
                            (*env)->SetByteArrayRegion(env, out, 0, (jsize)got, (const jbyte *)reply);
                    }
                    break;
                }
            }
        }
    }
    close(fd);
    return out;
}
