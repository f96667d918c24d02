package dev.pelagos.runtime.launch;

import static dev.pelagos.runtime.launch.SpecDecoder.single;
import static dev.pelagos.runtime.launch.SpecDecoder.withTag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encodes a plan with every field set, decodes it following protocol.h, and compares field by field. */
class SpecEncoderTest {

    private static LaunchPlan fullPlan() {
        LaunchPlan.ProcessPlan process = new LaunchPlan.ProcessPlan(List.of("/probe", "echo", "h\u00e9llo wörld", ""),
                List.of("PATH=/bin", "A=1=2"), "/work", 1000, 50, List.of(50, 7, 1000),
                new LaunchPlan.Capabilities(0x1ffffffffffL, 0x800405fbL, 0x800405fbL, 0x2000L, 0x2000L), true,
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
                List.of(new LaunchPlan.Rlimit(7, 1024, 2048), new LaunchPlan.Rlimit(4, -1, -1)), -500, true, true);
        MountEntry root = new MountEntry("overlay", "/", "overlay", 0, 0, SpecTag.MNT_ROOT, "lowerdir=/a,upperdir=/b,workdir=/c");
        List<MountEntry> mounts = List.of(MountEntry.kernel("proc", "/proc", 14, ""),
                MountEntry.bind("/host/etc/hosts", "/etc/hosts", true, true),
                new MountEntry("tmpfs", "/t", "tmpfs", 6, Linux.MS_PRIVATE, SpecTag.MNT_MKDIR | SpecTag.MNT_REMOUNT, "size=1m"));
        LaunchPlan.FilesystemPlan fs = new LaunchPlan.FilesystemPlan(Path.of("/var/lib/pelagos/r"), root, mounts,
                DefaultFilesystem.devices(), DefaultFilesystem.symlinks(), List.of("/proc/kcore", "/sys/firmware"),
                List.of("/proc/sys"), true, List.of("net.core.somaxconn=1024"));
        LaunchPlan.NamespacePlan ns = new LaunchPlan.NamespacePlan(Linux.CLONE_NEWNS | Linux.CLONE_NEWNET, "box", true, 4321);
        LaunchPlan.LifecyclePlan life = new LaunchPlan.LifecyclePlan(Path.of("/run/pelagos/containers/x"), List.of("/cg/a/cgroup.procs"),
                List.of("/cg/a/memory.events"), List.of("/cg/a/b", "/cg/a"), List.of("/run/x", "/run/names/y"), true, "abc", Path.of("/tmp/pid"),
                Path.of("/run/x/log"), 10L << 20, Path.of("/run/x/exec.fifo"), Path.of("/tmp/console.sock"));
        return new LaunchPlan(SpecTag.Mode.DETACH, process, fs, ns, life);
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        List<SpecDecoder.Record> r = SpecDecoder.records(SpecEncoder.encode(fullPlan()));

        SpecDecoder.Record magic = r.getFirst();
        assertThat(magic.tag()).isEqualTo(SpecTag.MAGIC.code());
        assertThat(SpecDecoder.u32s(magic)).containsExactly(0x50474c53, 1);
        assertThat(single(r, SpecTag.MODE).u32()).isEqualTo(2);

        assertThat(withTag(r, SpecTag.ARG)).extracting(SpecDecoder.Record::str).containsExactly("/probe", "echo", "h\u00e9llo wörld", "");
        assertThat(withTag(r, SpecTag.ENV)).extracting(SpecDecoder.Record::str).containsExactly("PATH=/bin", "A=1=2");
        assertThat(single(r, SpecTag.CWD).str()).isEqualTo("/work");
        assertThat(SpecDecoder.u32s(single(r, SpecTag.USER))).containsExactly(1000, 50);
        assertThat(withTag(r, SpecTag.GROUP)).extracting(SpecDecoder.Record::u32).containsExactly(50, 7, 1000);
        assertThat(SpecDecoder.u64s(single(r, SpecTag.CAPS))).containsExactly(0x1ffffffffffL, 0x800405fbL, 0x800405fbL, 0x2000L, 0x2000L);
        assertThat(single(r, SpecTag.NO_NEW_PRIVS).u32()).isEqualTo(1);
        assertThat(single(r, SpecTag.SECCOMP).payload()).hasSize(16).startsWith(1, 2, 3);
        List<SpecDecoder.Record> rl = withTag(r, SpecTag.RLIMIT);
        assertThat(rl).hasSize(2);
        ByteBuffer b = rl.getFirst().buf();
        assertThat(rl.getFirst().payload()).hasSize(24);
        assertThat(b.getInt()).isEqualTo(7);
        assertThat(b.getInt()).isZero();
        assertThat(b.getLong()).isEqualTo(1024);
        assertThat(b.getLong()).isEqualTo(2048);
        ByteBuffer b2 = rl.get(1).buf();
        b2.getLong();
        assertThat(b2.getLong()).as("unlimited is all ones (RLIM_INFINITY)").isEqualTo(-1L);
        assertThat(single(r, SpecTag.OOM_SCORE_ADJ).u32()).isEqualTo(-500);
        assertThat(single(r, SpecTag.TTY).u32()).isEqualTo(1);
        assertThat(single(r, SpecTag.INTERACTIVE).u32()).isEqualTo(1);

        assertThat(single(r, SpecTag.ROOTFS).str()).isEqualTo("/var/lib/pelagos/r");
        List<SpecDecoder.Mount> mounts = withTag(r, SpecTag.MOUNT).stream().map(SpecDecoder::mount).toList();
        assertThat(mounts).containsExactly(
                new SpecDecoder.Mount(0, 0, SpecTag.MNT_ROOT, "overlay", "/", "overlay", "lowerdir=/a,upperdir=/b,workdir=/c"),
                new SpecDecoder.Mount(14, 0, SpecTag.MNT_MKDIR | SpecTag.MNT_NOFOLLOW, "proc", "/proc", "proc", ""),
                new SpecDecoder.Mount(Linux.MS_BIND | Linux.MS_REC | Linux.MS_RDONLY, 0, SpecTag.MNT_MKFILE, "/host/etc/hosts",
                        "/etc/hosts", "", ""),
                new SpecDecoder.Mount(6, Linux.MS_PRIVATE, SpecTag.MNT_MKDIR | SpecTag.MNT_REMOUNT, "tmpfs", "/t", "tmpfs", "size=1m"));
        assertThat(withTag(r, SpecTag.DEVICE).stream().map(SpecDecoder::device).toList()).containsExactly(
                new SpecDecoder.Device('c', 1, 3, 0666, 0, 0, "/dev/null"),
                new SpecDecoder.Device('c', 1, 5, 0666, 0, 0, "/dev/zero"),
                new SpecDecoder.Device('c', 1, 7, 0666, 0, 0, "/dev/full"),
                new SpecDecoder.Device('c', 1, 8, 0666, 0, 0, "/dev/random"),
                new SpecDecoder.Device('c', 1, 9, 0666, 0, 0, "/dev/urandom"),
                new SpecDecoder.Device('c', 5, 0, 0666, 0, 0, "/dev/tty"));
        assertThat(withTag(r, SpecTag.SYMLINK).stream().map(x -> SpecDecoder.lstrs(x.buf(), 2)).toList()).containsExactly(
                List.of("/proc/self/fd", "/dev/fd"), List.of("/proc/self/fd/0", "/dev/stdin"), List.of("/proc/self/fd/1", "/dev/stdout"),
                List.of("/proc/self/fd/2", "/dev/stderr"), List.of("pts/ptmx", "/dev/ptmx"));
        assertThat(withTag(r, SpecTag.MASKED)).extracting(SpecDecoder.Record::str).containsExactly("/proc/kcore", "/sys/firmware");
        assertThat(withTag(r, SpecTag.READONLY)).extracting(SpecDecoder.Record::str).containsExactly("/proc/sys");
        assertThat(single(r, SpecTag.READONLY_ROOT).u32()).isEqualTo(1);
        assertThat(withTag(r, SpecTag.SYSCTL)).extracting(SpecDecoder.Record::str).containsExactly("net.core.somaxconn=1024");

        assertThat(single(r, SpecTag.CLONE_FLAGS).u32()).isEqualTo(Linux.CLONE_NEWNS | Linux.CLONE_NEWNET);
        assertThat(single(r, SpecTag.HOSTNAME).str()).isEqualTo("box");
        assertThat(single(r, SpecTag.LOOPBACK_UP).u32()).isEqualTo(1);
        assertThat(single(r, SpecTag.TARGET_PID).u32()).isEqualTo(4321);

        assertThat(single(r, SpecTag.STATE_DIR).str()).isEqualTo("/run/pelagos/containers/x");
        assertThat(withTag(r, SpecTag.CGROUP_PROCS)).extracting(SpecDecoder.Record::str).containsExactly("/cg/a/cgroup.procs");
        assertThat(withTag(r, SpecTag.CGROUP_OOM)).extracting(SpecDecoder.Record::str).containsExactly("/cg/a/memory.events");
        assertThat(withTag(r, SpecTag.CGROUP_RMDIR)).extracting(SpecDecoder.Record::str).containsExactly("/cg/a/b", "/cg/a");
        assertThat(withTag(r, SpecTag.CLEANUP)).extracting(SpecDecoder.Record::str).containsExactly("/run/x", "/run/names/y");
        assertThat(single(r, SpecTag.INIT).u32()).isEqualTo(1);
        assertThat(single(r, SpecTag.PRINT_ON_START).str()).isEqualTo("abc");
        assertThat(single(r, SpecTag.PID_FILE).str()).isEqualTo("/tmp/pid");
        assertThat(single(r, SpecTag.LOG_STDOUT).str()).isEqualTo("/run/x/log");
        assertThat(SpecDecoder.u64s(single(r, SpecTag.LOG_MAX_SIZE))).containsExactly(10L << 20);
        assertThat(single(r, SpecTag.EXEC_FIFO).str()).isEqualTo("/run/x/exec.fifo");
        assertThat(single(r, SpecTag.CONSOLE_SOCKET).str()).isEqualTo("/tmp/console.sock");
    }

    @Test
    void overridesAreAppendedAfterTheOriginalRecords() {
        byte[] spec = SpecEncoder.encode(fullPlan());
        byte[] restarted = SpecEncoder.withOverrides(spec, SpecTag.Mode.DETACH, "id", "/log", 5);
        assertThat(restarted).startsWith(spec);
        List<SpecDecoder.Record> tail = SpecDecoder.records(java.util.Arrays.copyOfRange(restarted, spec.length, restarted.length));
        assertThat(tail).extracting(SpecDecoder.Record::tag).containsExactly(SpecTag.MODE.code(), SpecTag.PRINT_ON_START.code(),
                SpecTag.LOG_STDOUT.code(), SpecTag.LOG_MAX_SIZE.code());
        assertThat(tail.get(2).str()).isEqualTo("/log");
        assertThat(SpecDecoder.u64s(tail.get(3))).containsExactly(5L);
    }

    @Test
    void optionalRecordsAreOmittedWhenUnset() {
        LaunchPlan.ProcessPlan p = new LaunchPlan.ProcessPlan(List.of("/bin/true"), List.of(), null, null, null, List.of(), null,
                false, null, List.of(), null, false, false);
        LaunchPlan.FilesystemPlan fs = new LaunchPlan.FilesystemPlan(Path.of("/r"), null, List.of(), List.of(), List.of(), List.of(),
                List.of(), false, List.of());
        LaunchPlan plan = new LaunchPlan(SpecTag.Mode.RUN, p, fs, new LaunchPlan.NamespacePlan(0, null, false, 0),
                new LaunchPlan.LifecyclePlan(null, List.of(), List.of(), List.of(), List.of(), false, null, null, null, 0, null, null));
        List<SpecDecoder.Record> r = SpecDecoder.records(SpecEncoder.encode(plan));
        assertThat(r).extracting(SpecDecoder.Record::tag).containsExactly(SpecTag.MAGIC.code(), SpecTag.MODE.code(),
                SpecTag.ARG.code(), SpecTag.NO_NEW_PRIVS.code(), SpecTag.ROOTFS.code(), SpecTag.CLONE_FLAGS.code());
        assertThat(single(r, SpecTag.NO_NEW_PRIVS).u32()).isZero();
        assertThat(single(r, SpecTag.MODE).u32()).isEqualTo(1);
    }

    @Test
    void stringsWithNulBytesAreRefused() {
        LaunchPlan.ProcessPlan p = new LaunchPlan.ProcessPlan(List.of("/bin/echo", "a\0b"), List.of(), null, null, null, List.of(),
                null, false, null, List.of(), null, false, false);
        LaunchPlan.FilesystemPlan fs = new LaunchPlan.FilesystemPlan(Path.of("/r"), null, List.of(), List.of(), List.of(), List.of(),
                List.of(), false, List.of());
        LaunchPlan plan = new LaunchPlan(SpecTag.Mode.RUN, p, fs, new LaunchPlan.NamespacePlan(0, null, false, 0),
                new LaunchPlan.LifecyclePlan(null, List.of(), List.of(), List.of(), List.of(), false, null, null, null, 0, null, null));
        assertThatThrownBy(() -> SpecEncoder.encode(plan)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    }

    @Test
    void recursiveMountAttributesFollowTheirMountAndConsoleSizeIsRowsThenColumns() {
        LaunchPlan base = fullPlan();
        List<MountEntry> mounts = List.of(MountEntry.kernel("proc", "/proc", 14, ""),
                new MountEntry("/src", "/mnt", "", Linux.MS_BIND | Linux.MS_REC, 0, SpecTag.MNT_MKDIR, "", 0x1, 0x8));
        LaunchPlan.FilesystemPlan fs = new LaunchPlan.FilesystemPlan(Path.of("/r"), null, mounts, List.of(), List.of(),
                List.of(), List.of(), false, List.of());
        LaunchPlan plan = new LaunchPlan(base.mode(), base.process(), fs, base.namespaces(),
                base.lifecycle().withConsoleSize(new LaunchPlan.ConsoleSize(10, 110)));
        List<SpecDecoder.Record> r = SpecDecoder.records(SpecEncoder.encode(plan));
        int attr = -1;
        for (int i = 0; i < r.size(); i++) {
            if (r.get(i).tag() == SpecTag.MOUNT_ATTR.code()) {
                attr = i;
            }
        }
        assertThat(withTag(r, SpecTag.MOUNT_ATTR)).hasSize(1);
        assertThat(SpecDecoder.mount(r.get(attr - 1)).target()).isEqualTo("/mnt");
        assertThat(SpecDecoder.u64s(r.get(attr))).containsExactly(0x1L, 0x8L);
        assertThat(SpecDecoder.u32s(single(r, SpecTag.CONSOLE_SIZE))).containsExactly(10, 110);
        assertThat(withTag(SpecDecoder.records(SpecEncoder.encode(base)), SpecTag.CONSOLE_SIZE)).isEmpty();
    }

    @Test
    void anIdMappingFollowsItsMountAsItsOwnRecord() {
        LaunchPlan base = fullPlan();
        MountEntry bind = new MountEntry("/src", "/mnt", "", Linux.MS_BIND, 0, SpecTag.MNT_MKDIR, "");
        List<MountEntry> mounts = List.of(bind.withIdMap(new MountIdMap("0 1000 1\n", "0 2000 1\n", null, true)),
                MountEntry.kernel("proc", "/proc", 14, ""),
                bind.withIdMap(new MountIdMap(null, null, "/proc/1/ns/user", false)));
        LaunchPlan.FilesystemPlan fs = new LaunchPlan.FilesystemPlan(Path.of("/r"), null, mounts, List.of(), List.of(),
                List.of(), List.of(), false, List.of());
        List<SpecDecoder.Record> r = SpecDecoder.records(SpecEncoder.encode(new LaunchPlan(base.mode(), base.process(), fs,
                base.namespaces(), base.lifecycle())));
        List<Integer> at = new java.util.ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            if (r.get(i).tag() == SpecTag.MOUNT_IDMAP.code()) {
                at.add(i);
            }
        }
        assertThat(at).hasSize(2);
        for (int i : at) {
            assertThat(r.get(i - 1).tag()).isEqualTo(SpecTag.MOUNT.code());
            assertThat(SpecDecoder.mount(r.get(i - 1)).target()).isEqualTo("/mnt");
        }
        ByteBuffer first = r.get(at.get(0)).buf();
        assertThat(first.getInt()).as("recursive").isEqualTo(1);
        assertThat(SpecDecoder.lstrs(first, 3)).containsExactly("0 1000 1\n", "0 2000 1\n", "");
        ByteBuffer second = r.get(at.get(1)).buf();
        assertThat(second.getInt()).isZero();
        assertThat(SpecDecoder.lstrs(second, 3)).containsExactly("", "", "/proc/1/ns/user");
        assertThatThrownBy(() -> MountEntry.kernel("proc", "/proc", 0, "").withIdMap(new MountIdMap("0 0 1\n", "0 0 1\n", null, false)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hooksAndTheirStateSurviveTheRoundTrip() {
        LaunchPlan base = fullPlan();
        LaunchPlan plan = new LaunchPlan(base.mode(), base.process(), base.filesystem(), base.namespaces(),
                base.lifecycle().withHooks(List.of(
                        new LaunchHook(SpecTag.HookPhase.PRESTART, "/bin/sh", List.of("sh", "-c", "true"), List.of("A=1"), 5),
                        new LaunchHook(SpecTag.HookPhase.START_CONTAINER, "/hook", List.of(), List.of(), 0)),
                        "{\"ociVersion\":\"1.0.2\",\"id\":\"x\""));
        List<SpecDecoder.Record> r = SpecDecoder.records(SpecEncoder.encode(plan));
        List<SpecDecoder.Record> hooks = withTag(r, SpecTag.HOOK);
        assertThat(hooks).hasSize(2);
        ByteBuffer first = ByteBuffer.wrap(hooks.get(0).payload()).order(java.nio.ByteOrder.nativeOrder());
        assertThat(new int[] {first.getInt(), first.getInt(), first.getInt(), first.getInt()}).containsExactly(1, 5, 3, 1);
        assertThat(SpecDecoder.lstrs(first, 5)).containsExactly("/bin/sh", "sh", "-c", "true", "A=1");
        assertThat(first.remaining()).isZero();
        ByteBuffer second = ByteBuffer.wrap(hooks.get(1).payload()).order(java.nio.ByteOrder.nativeOrder());
        assertThat(new int[] {second.getInt(), second.getInt(), second.getInt(), second.getInt()}).containsExactly(4, 0, 0, 0);
        assertThat(SpecDecoder.lstrs(second, 1)).containsExactly("/hook");
        assertThat(new String(single(r, SpecTag.HOOK_STATE).payload(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"ociVersion\":\"1.0.2\",\"id\":\"x\"");
        assertThat(withTag(SpecDecoder.records(SpecEncoder.encode(fullPlan())), SpecTag.HOOK)).isEmpty();
    }
}
