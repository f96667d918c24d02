package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.base.Sizes;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.cli.args.UsageException;
import dev.pelagos.runtime.oci.OciConfig;
import dev.pelagos.runtime.oci.OciConfigReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code pelagos update}: change a running OCI container's cgroup limits (runc's flags, or {@code -r FILE}). */
public final class UpdateCommand implements Command {
    @Override
    public Options options() {
        return new Options().value("-r, --resources", "FILE", "OCI linux.resources JSON ('-' for stdin)")
                .value("--memory", "BYTES", "memory limit (e.g. 64m)")
                .value("--memory-swap", "BYTES", "memory plus swap limit, -1 for unlimited")
                .value("--memory-reservation", "BYTES", "memory soft limit")
                .value("--cpu-share, --cpu-shares", "N", "relative CPU weight")
                .value("--cpu-quota", "MICROS", "CPU time per period, -1 for none")
                .value("--cpu-period", "MICROS", "CFS period")
                .value("--cpu-rt-period", "MICROS", "real-time period (cgroup v1)")
                .value("--cpu-rt-runtime", "MICROS", "real-time CPU time per period (cgroup v1)")
                .value("--cpuset-cpus", "LIST", "CPUs allowed, e.g. 0-1")
                .value("--cpuset-mems", "LIST", "memory nodes allowed")
                .value("--pids-limit", "N", "most tasks at once, -1 for unlimited")
                .value("--blkio-weight", "N", "block I/O weight 10..1000");
    }

    @Override
    public String usage() {
        return "[OPTIONS] ID";
    }

    @Override
    public String summary() {
        return "Change an OCI container's resource limits";
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        String id = a.required(0, "a container ID");
        a.atMost(1);
        OciConfig.Resources r;
        if (a.has("resources")) {
            String json;
            try {
                json = a.get("resources").equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(a.get("resources")));
            } catch (IOException e) {
                throw PelagosException.io("read the resources " + a.get("resources"), e);
            }
            r = OciConfigReader.parse("{\"linux\":{\"resources\":" + json + "}}", "--resources").linux().resources();
        } else {
            OciConfig.Memory mem = new OciConfig.Memory(size(a, "memory"), size(a, "memory-reservation"), size(a, "memory-swap"),
                    null, null, null, null, null, null);
            OciConfig.Cpu cpu = new OciConfig.Cpu(num(a, "cpu-share"), num(a, "cpu-quota"), null, num(a, "cpu-period"),
                    num(a, "cpu-rt-runtime"), num(a, "cpu-rt-period"), a.get("cpuset-cpus"), a.get("cpuset-mems"), null);
            OciConfig.Pids pids = a.has("pids-limit") ? new OciConfig.Pids(num(a, "pids-limit")) : null;
            Long w = num(a, "blkio-weight");
            OciConfig.BlockIO io = w == null ? null : new OciConfig.BlockIO(w.intValue(), null, null, null, null, null, null);
            r = new OciConfig.Resources(null, mem, cpu, pids, io, null, null, null, null);
        }
        OciContext.runtime(cli).update(id, r);
        return 0;
    }

    private static Long size(Args a, String key) throws PelagosException {
        String v = a.get(key);
        if (v == null) {
            return null;
        }
        return v.equals("-1") ? -1L : Sizes.parse("--" + key, v);
    }

    private static Long num(Args a, String key) throws UsageException {
        String v = a.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid --" + key + " '" + v + "': expected a number", null);
        }
    }
}
