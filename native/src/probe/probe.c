/*
 * pelagos-probe: a static test subject for the integration tests (after crun's
 * tests/init.c). Alone in a root filesystem it reports what the container sees.
 *   probe [report]         JSON: ids, caps, seccomp, no_new_privs, namespaces, cwd, hostname, fds, rlimits, mounts
 *   probe exit N           exit with N
 *   probe kill SIG         kill itself with SIG
 *   probe sleep SECONDS    sleep (for signal and lifecycle tests)
 *   probe syscall NAME     try a syscall; print "ok" or the errno name and number
 *                          (NAME "nr:N" makes raw syscall number N with zero arguments)
 *   probe write PATH TEXT  write TEXT to PATH; print "ok" or the error
 *   probe read PATH        print the file's content or the error
 *   probe stat PATH        print type and mode, or the error
 *   probe echo ARGS...     print the arguments
 *   probe env              print the environment
 *   probe fork N           fork N children and report how many succeeded
 *   probe alloc MIB        allocate and touch MIB mebibytes
 *   probe signals SECONDS  print the signals received, until SECONDS pass
 *   probe readlink PATH    print the link's target, or the error
 *   probe openw PATH       open PATH for writing without writing anything; print "ok" or the error
 *   probe ls DIR           one line per entry: name, type, mode, major:minor (devices), link target
 *   probe zombies N        make N orphans that exit at once, wait, print how many zombies remain
 *   probe udp-echo PORT    answer every UDP datagram on PORT with "echo:" and the datagram, forever
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void status_field(const char *name)
{
    FILE *f = fopen("/proc/self/status", "re");
    char line[512];
    size_t n = strlen(name);
    const char *val = "";
    static char buf[512];
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, name, n) == 0 && line[n] == ':') {
            char *v = line + n + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            v[strcspn(v, "\n")] = '\0';
            snprintf(buf, sizeof buf, "%s", v);
            val = buf;
            break;
        }
    }
    if (f)
        fclose(f);
    json_str(val);
}

static void report(void)
{
    char buf[4096];
    printf("{\"pid\":%d,\"uid\":%d,\"gid\":%d,\"euid\":%d,\"groups\":[", getpid(), getuid(), getgid(), geteuid());
    gid_t groups[64];
    int ng = getgroups(64, groups);
    for (int i = 0; i < ng; i++)
        printf("%s%d", i ? "," : "", groups[i]);
    printf("]");
    const char *fields[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Seccomp_filters"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        printf(",");
        json_str(fields[i]);
        printf(":");
        status_field(fields[i]);
    }
    printf(",\"cwd\":");
    json_str(getcwd(buf, sizeof buf) ? buf : "(unreachable)");
    gethostname(buf, sizeof buf);
    printf(",\"hostname\":");
    json_str(buf);
    printf(",\"umask\":%d", (int)umask(022));
    printf(",\"namespaces\":{");
    const char *ns[] = {"mnt", "pid", "uts", "ipc", "net", "cgroup", "user", "time"};
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
        char p[64];
        snprintf(p, sizeof p, "/proc/self/ns/%s", ns[i]);
        ssize_t n = readlink(p, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = '\0';
        printf("%s\"%s\":", i ? "," : "", ns[i]);
        json_str(buf);
    }
    printf("},\"fds\":[");
    DIR *d = opendir("/proc/self/fd");
    int first = 1, dfd = d ? dirfd(d) : -1;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || atoi(e->d_name) == dfd)
            continue;
        char p[300];
        snprintf(p, sizeof p, "/proc/self/fd/%s", e->d_name);
        ssize_t n = readlink(p, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = '\0';
        printf("%s{\"fd\":%s,\"target\":", first ? "" : ",", e->d_name);
        json_str(buf);
        printf("}");
        first = 0;
    }
    if (d)
        closedir(d);
    printf("],\"rlimits\":{");
    const char *rn[] = {"cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "memlock", "as",
                        "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"};
    for (int r = 0; r < 16; r++) {
        struct rlimit rl;
        getrlimit(r, &rl);
        printf("%s\"%s\":[%lld,%lld]", r ? "," : "", rn[r], rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)rl.rlim_cur,
               rl.rlim_max == RLIM_INFINITY ? -1LL : (long long)rl.rlim_max);
    }
    printf("},\"mounts\":[");
    FILE *f = fopen("/proc/self/mountinfo", "re");
    first = 1;
    char line[4096];
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        printf("%s", first ? "" : ",");
        json_str(line);
        first = 0;
    }
    if (f)
        fclose(f);
    printf("]}\n");
}

static int try_syscall(const char *name)
{
    long r;
    errno = 0;
    if (strcmp(name, "mount") == 0)
        r = mount("none", "/tmp", "tmpfs", 0, NULL);
    else if (strcmp(name, "unshare-user") == 0)
        r = unshare(CLONE_NEWUSER);
    else if (strcmp(name, "unshare-ns") == 0)
        r = unshare(CLONE_NEWNS);
    else if (strcmp(name, "reboot") == 0)
        r = syscall(SYS_reboot, 0, 0, 0, NULL); /* bad magic: EINVAL if it got through, EPERM if filtered */
    else if (strcmp(name, "keyctl") == 0)
        r = syscall(SYS_keyctl, 0, 0, 0, 0, 0);
    else if (strcmp(name, "ptrace") == 0)
        r = syscall(SYS_ptrace, 0x4206 /* PTRACE_SEIZE */, 1, 0, 0);
    else if (strcmp(name, "chroot") == 0)
        r = chroot("/");
    else if (strcmp(name, "sethostname") == 0)
        r = sethostname("x", 1);
    else if (strcmp(name, "mknod") == 0)
        r = mknod("/tmp/probe-node", S_IFCHR | 0600, makedev(1, 3));
    else if (strcmp(name, "clone-newns") == 0) {
        r = syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
        if (r == 0)
            _exit(0);
        if (r > 0)
            waitpid((pid_t)r, NULL, 0);
    } else if (strcmp(name, "getpid") == 0)
        r = getpid();
    else if (strcmp(name, "personality-query") == 0)
        r = syscall(SYS_personality, 0xffffffff);
    else if (strcmp(name, "personality-bad") == 0)
        r = syscall(SYS_personality, 0x1234);
    else if (strcmp(name, "socket-vsock") == 0)
        r = syscall(SYS_socket, 40, 1, 0);
    else if (strcmp(name, "setns") == 0)
        r = syscall(SYS_setns, -1, 0);
    else if (strncmp(name, "nr:", 3) == 0 && name[3] >= '0' && name[3] <= '9')
        r = syscall(strtol(name + 3, NULL, 10), 0, 0, 0, 0, 0, 0); /* e.g. a number no kernel has yet */
    else {
        fprintf(stderr, "probe: unknown syscall test %s\n", name);
        return 2;
    }
    if (r < 0)
        printf("%s %d\n", strerrorname_np(errno) ? strerrorname_np(errno) : "E?", errno);
    else
        printf("ok\n");
    return 0;
}

static volatile sig_atomic_t got[65];
static void on_signal(int sig) { got[sig]++; }

/* Orphans exit right away; PID 1 is responsible for reaping them (an init does, a plain program does not). */
static int count_zombies_after_orphans(int n)
{
    for (int i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0) {
            if (fork() == 0) {
                usleep(50000);
                _exit(0);
            }
            _exit(0);
        }
        if (p > 0)
            waitpid(p, NULL, 0);
    }
    usleep(500000);
    int zombies = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char p[300], buf[512];
        snprintf(p, sizeof p, "/proc/%s/stat", e->d_name);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t k = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (k <= 0)
            continue;
        buf[k] = '\0';
        char *rp = strrchr(buf, ')');
        if (rp && rp[1] == ' ' && rp[2] == 'Z')
            zombies++;
    }
    if (d)
        closedir(d);
    printf("%d\n", zombies);
    return 0;
}

static int list_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        printf("%s %d\n", strerrorname_np(errno), errno);
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        const char *type = S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : S_ISCHR(st.st_mode) ? "chr"
                           : S_ISBLK(st.st_mode) ? "blk" : S_ISFIFO(st.st_mode) ? "fifo" : S_ISSOCK(st.st_mode) ? "sock" : "file";
        printf("%s %s %o", e->d_name, type, st.st_mode & 07777);
        if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
            printf(" %u:%u", major(st.st_rdev), minor(st.st_rdev));
        if (S_ISLNK(st.st_mode)) {
            char t[4096];
            ssize_t n = readlinkat(dirfd(d), e->d_name, t, sizeof t - 1);
            t[n > 0 ? n : 0] = '\0';
            printf(" -> %s", t);
        }
        printf("\n");
    }
    closedir(d);
    return 0;
}

/* For published UDP ports: the answer goes back to whoever sent, through the same NAT. */
static int udp_echo(int port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        printf("udp-echo: %s\n", strerror(errno));
        return 1;
    }
    for (;;) {
        char buf[1500];
        memcpy(buf, "echo:", 5);
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(fd, buf + 5, sizeof buf - 5, 0, (struct sockaddr *)&from, &len);
        if (n >= 0)
            sendto(fd, buf, (size_t)n + 5, 0, (struct sockaddr *)&from, len);
    }
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "report";
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (strcmp(cmd, "report") == 0) {
        report();
        return 0;
    }
    if (strcmp(cmd, "exit") == 0 && argc > 2)
        return atoi(argv[2]);
    if (strcmp(cmd, "udp-echo") == 0 && argc > 2)
        return udp_echo(atoi(argv[2]));
    if (strcmp(cmd, "kill") == 0 && argc > 2) {
        signal(atoi(argv[2]), SIG_DFL);
        kill(getpid(), atoi(argv[2]));
        pause();
    }
    if (strcmp(cmd, "sleep") == 0 && argc > 2) {
        struct timespec ts = {.tv_sec = atoi(argv[2])};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
            ;
        return 0;
    }
    if (strcmp(cmd, "syscall") == 0 && argc > 2)
        return try_syscall(argv[2]);
    if (strcmp(cmd, "write") == 0 && argc > 3) {
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write(fd, argv[3], strlen(argv[3])) < 0) {
            printf("%s %d\n", strerrorname_np(errno), errno);
            return 1;
        }
        close(fd);
        printf("ok\n");
        return 0;
    }
    if (strcmp(cmd, "read") == 0 && argc > 2) {
        int fd = open(argv[2], O_RDONLY);
        if (fd < 0) {
            printf("%s %d\n", strerrorname_np(errno), errno);
            return 1;
        }
        char buf[4096];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            fwrite(buf, 1, (size_t)n, stdout);
        close(fd);
        return 0;
    }
    if (strcmp(cmd, "stat") == 0 && argc > 2) {
        struct stat st;
        if (lstat(argv[2], &st) < 0) {
            printf("%s %d\n", strerrorname_np(errno), errno);
            return 1;
        }
        printf("%s %o %d:%d\n", S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : S_ISCHR(st.st_mode) ? "chr" : "file",
               st.st_mode & 07777, (int)st.st_uid, (int)st.st_gid);
        return 0;
    }
    if (strcmp(cmd, "echo") == 0) {
        for (int i = 2; i < argc; i++)
            printf("%s%s", i > 2 ? " " : "", argv[i]);
        printf("\n");
        return 0;
    }
    if (strcmp(cmd, "env") == 0) {
        extern char **environ;
        for (char **e = environ; *e; e++)
            printf("%s\n", *e);
        return 0;
    }
    if (strcmp(cmd, "fork") == 0 && argc > 2) {
        int n = atoi(argv[2]), ok = 0;
        for (int i = 0; i < n; i++) {
            pid_t p = fork();
            if (p == 0) {
                sleep(2);
                _exit(0);
            }
            if (p > 0)
                ok++;
        }
        printf("%d\n", ok);
        while (wait(NULL) > 0)
            ;
        return 0;
    }
    if (strcmp(cmd, "alloc") == 0 && argc > 2) {
        size_t n = (size_t)atoi(argv[2]) << 20;
        char *p = malloc(n);
        for (size_t i = 0; p && i < n; i += 4096)
            p[i] = 1;
        printf("%s\n", p ? "ok" : "ENOMEM");
        return 0;
    }
    if (strcmp(cmd, "signals") == 0 && argc > 2) {
        for (int s = 1; s < 32; s++)
            if (s != SIGKILL && s != SIGSTOP)
                signal(s, on_signal);
        printf("ready\n");
        time_t end = time(NULL) + atoi(argv[2]);
        while (time(NULL) < end) {
            sleep(1);
            for (int s = 1; s < 32; s++)
                while (got[s] > 0) {
                    got[s]--;
                    printf("signal %d\n", s);
                    if (s == SIGTERM)
                        return 0;
                }
        }
        return 0;
    }
    if (strcmp(cmd, "readlink") == 0 && argc > 2) {
        char t[4096];
        ssize_t n = readlink(argv[2], t, sizeof t - 1);
        if (n < 0) {
            printf("%s %d\n", strerrorname_np(errno), errno);
            return 1;
        }
        t[n] = '\0';
        printf("%s\n", t);
        return 0;
    }
    if (strcmp(cmd, "openw") == 0 && argc > 2) {
        int fd = open(argv[2], O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            printf("%s %d\n", strerrorname_np(errno), errno);
            return 1;
        }
        close(fd);
        printf("ok\n");
        return 0;
    }
    if (strcmp(cmd, "ls") == 0 && argc > 2)
        return list_dir(argv[2]);
    if (strcmp(cmd, "zombies") == 0 && argc > 2)
        return count_zombies_after_orphans(atoi(argv[2]));
    fprintf(stderr, "probe: unknown command %s\n", cmd);
    return 2;
}
