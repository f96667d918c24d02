package dev.pelagos.runtime.container;

import dev.pelagos.base.PelagosException;
import dev.pelagos.runtime.launch.Helper;
import dev.pelagos.runtime.launch.LaunchPlan;
import dev.pelagos.runtime.launch.SpecTag;
import dev.pelagos.runtime.rootfs.DirRootView;
import dev.pelagos.runtime.rootfs.UserResolver;
import dev.pelagos.runtime.spec.ExecConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pelagos exec}: a new process inside a running container, in every one of its namespaces
 * (the PID namespace included) and its cgroup, with its environment and its security settings:
 * the same capabilities, seccomp filter and no-new-privileges.
 */
public final class ExecOperation {
    private ExecOperation() {
    }

    public static LaunchPlan plan(Container c, ExecConfig e) throws PelagosException {
        if (!c.status().canExec()) {
            throw PelagosException.conflict("container " + c.name() + " is not running (" + c.status().lower() + ")",
                    "start it first: pelagos start " + c.name());
        }
        ContainerRecord r = c.record();
        Integer uid = r.uid();
        Integer gid = r.gid();
        List<Integer> groups = r.groups();
        if (e.user() != null) {
            // the container's own /etc/passwd, seen through its root
            Path root = Path.of("/proc", Integer.toString(c.state().pid()), "root");
            UserResolver.User u = UserResolver.resolve(new DirRootView(root), e.user(), List.of());
            uid = u.uid();
            gid = u.gid();
            groups = u.groups();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (List<String> src : List.of(r.env(), e.env())) {
            for (String kv : src) {
                int eq = kv.indexOf('=');
                env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        List<String> envList = env.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()).toList();
        long caps = e.privileged() ? dev.pelagos.runtime.launch.HostFacts.boundingSet() : r.capabilities();
        LaunchPlan.Capabilities capSets = uid == null || uid == 0 ? LaunchPlan.Capabilities.of(caps)
                : new LaunchPlan.Capabilities(caps, 0, 0, 0, 0);
        byte[] seccomp = e.privileged() ? null : readFilter(c.stateDir());
        LaunchPlan.ProcessPlan process = new LaunchPlan.ProcessPlan(e.args(), envList,
                e.workdir() != null ? e.workdir() : r.workdir(), uid, gid, groups, capSets, r.noNewPrivileges(), seccomp,
                List.of(), null, e.tty(), e.interactive());
        LaunchPlan.FilesystemPlan fs = new LaunchPlan.FilesystemPlan(Path.of("/"), null, List.of(), List.of(), List.of(),
                List.of(), List.of(), false, List.of());
        LaunchPlan.NamespacePlan ns = new LaunchPlan.NamespacePlan(r.cloneFlags(), null, false, c.state().pid());
        LaunchPlan.LifecyclePlan life = new LaunchPlan.LifecyclePlan(null, r.cgroupProcs(), List.of(), List.of(), List.of(),
                false, null, null, null, 0, null, null, 0, null);
        return new LaunchPlan(e.detach() ? SpecTag.Mode.EXEC_DETACH : SpecTag.Mode.EXEC, process, fs, ns, life);
    }

    /** Becomes the helper running the process; returns only by throwing. */
    public static void runInPlace(Helper helper, Container c, ExecConfig e) throws PelagosException {
        helper.become(plan(c, e));
    }

    private static byte[] readFilter(Path stateDir) throws PelagosException {
        try {
            return Files.readAllBytes(stateDir.resolve("seccomp.bpf"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw PelagosException.io("read the seccomp filter of the container", e);
        }
    }
}
