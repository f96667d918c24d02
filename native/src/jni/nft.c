/*
 * libnftables for Java (dev.pelagos.sys.Nftables): nft commands run in this process, as podman's
 * and Docker's firewall code does, without a subprocess. The library is opened at the first call
 * (dlopen), so a host without nftables only fails where a container needs its rules.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <stdint.h>
#include <stdio.h>

#define FN(name) Java_dev_pelagos_sys_Nftables_##name

/* libnftables' stable API (libnftables.h), declared here: only its runtime package need be installed */
struct nft_ctx;
static struct nft_ctx *(*ctx_new)(uint32_t flags);
static int (*buffer_output)(struct nft_ctx *ctx);
static int (*buffer_error)(struct nft_ctx *ctx);
static const char *(*output_buffer)(struct nft_ctx *ctx);
static const char *(*error_buffer)(struct nft_ctx *ctx);
static int (*run_cmd)(struct nft_ctx *ctx, const char *buf);
static void (*ctx_free)(struct nft_ctx *ctx);

static const char *open_library(void)
{
    if (ctx_new)
        return NULL;
    void *h = dlopen("libnftables.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return dlerror();
    *(void **)&buffer_output = dlsym(h, "nft_ctx_buffer_output");
    *(void **)&buffer_error = dlsym(h, "nft_ctx_buffer_error");
    *(void **)&output_buffer = dlsym(h, "nft_ctx_get_output_buffer");
    *(void **)&error_buffer = dlsym(h, "nft_ctx_get_error_buffer");
    *(void **)&run_cmd = dlsym(h, "nft_run_cmd_from_buffer");
    *(void **)&ctx_free = dlsym(h, "nft_ctx_free");
    void *n = dlsym(h, "nft_ctx_new");
    if (!n || !buffer_output || !buffer_error || !output_buffer || !error_buffer || !run_cmd || !ctx_free)
        return "libnftables.so.1 lacks the functions of its API";
    *(void **)&ctx_new = n;
    return NULL;
}

static jobjectArray result(JNIEnv *env, const char *status, const char *out, const char *err)
{
    jobjectArray a = (*env)->NewObjectArray(env, 3, (*env)->FindClass(env, "java/lang/String"), NULL);
    (*env)->SetObjectArrayElement(env, a, 0, (*env)->NewStringUTF(env, status));
    (*env)->SetObjectArrayElement(env, a, 1, (*env)->NewStringUTF(env, out ? out : ""));
    (*env)->SetObjectArrayElement(env, a, 2, (*env)->NewStringUTF(env, err ? err : ""));
    return a;
}

/* {status, output, errors}: status "0" ran, "1" nft refused the commands, "-1" no library */
JNIEXPORT jobjectArray JNICALL FN(nativeRun)(JNIEnv *env, jclass cls, jstring jcommands)
{
    (void)cls;
    const char *why = open_library();
    if (why)
        return result(env, "-1", NULL, why);
    struct nft_ctx *ctx = ctx_new(0);
    if (!ctx)
        return result(env, "-1", NULL, "nft_ctx_new failed");
    buffer_output(ctx);
    buffer_error(ctx);
    const char *commands = (*env)->GetStringUTFChars(env, jcommands, NULL);
    int rc = run_cmd(ctx, commands);
    (*env)->ReleaseStringUTFChars(env, jcommands, commands);
    jobjectArray a = result(env, rc == 0 ? "0" : "1", output_buffer(ctx), error_buffer(ctx));
    ctx_free(ctx);
    return a;
}
