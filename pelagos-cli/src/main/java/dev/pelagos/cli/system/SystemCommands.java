package dev.pelagos.cli.system;

import dev.pelagos.base.PelagosException;
import dev.pelagos.base.Sizes;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.CommandGroup;
import dev.pelagos.cli.OutputFormat;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.ImageStore;
import dev.pelagos.runtime.container.Cleanup;
import dev.pelagos.runtime.container.Container;
import dev.pelagos.runtime.container.Containers;
import dev.pelagos.runtime.volume.VolumeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** {@code pelagos system df} and {@code pelagos system prune}, as Docker has them. */
public final class SystemCommands {
    private SystemCommands() {
    }

    public static CommandGroup group() {
        return new CommandGroup("Manage Pelagos as a whole")
                .add("df", "Show disk use of images, containers and volumes", Df::new)
                .add("prune", "Remove stopped containers, unused images and networks, and (with --volumes) volumes", Prune::new);
    }

    /** Bytes under a directory, not following links; 0 when absent. */
    static long du(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    static final class Df implements Command {
        @Override
        public Options options() {
            return new Options().value("--format", "FORMAT", "table or json");
        }

        @Override
        public String usage() {
            return "[--format table|json]";
        }

        @Override
        public String summary() {
            return "Show disk use of images, containers and volumes";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            a.atMost(0);
            OutputFormat format = OutputFormat.parse(a.get("format"));
            ImageStore.DiskUsage images = ImageStore.open(cli.paths().data()).diskUsage();
            Containers containers = new Containers(cli.paths(), Cli.home());
            List<Container> cs = containers.store().list();
            long active = cs.stream().filter(Container::running).count();
            long containerBytes = 0;
            long stoppedBytes = 0;
            for (Container c : cs) {
                long b = du(containers.overlayDir(c.id()).resolve("upper")) + du(c.stateDir());
                containerBytes += b;
                stoppedBytes += c.running() ? 0 : b;
            }
            List<VolumeStore.Volume> vols = new VolumeStore(cli.paths().volumes()).list();
            Set<String> used = new HashSet<>();
            for (Container c : cs) {
                c.record().mounts().stream().filter(m -> m.type().equals("volume")).forEach(m -> used.add(m.source()));
            }
            long volBytes = 0;
            long volFree = 0;
            for (VolumeStore.Volume v : vols) {
                long b = du(v.mountpoint());
                volBytes += b;
                volFree += used.contains(v.name()) ? 0 : b;
            }
            String[][] rows = {
                {"Images", Integer.toString(images.images()), Integer.toString(images.images()),
                    Sizes.human(images.blobBytes() + images.layerBytes()), Sizes.human(images.reclaimableBytes())},
                {"Containers", Integer.toString(cs.size()), Long.toString(active), Sizes.human(containerBytes),
                    Sizes.human(stoppedBytes)},
                {"Local Volumes", Integer.toString(vols.size()), Integer.toString(used.size()), Sizes.human(volBytes),
                    Sizes.human(volFree)},
            };
            if (format == OutputFormat.JSON) {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < rows.length; i++) {
                    sb.append(i == 0 ? "" : ",").append("{\"Type\":").append(OutputFormat.quote(rows[i][0]))
                            .append(",\"TotalCount\":").append(rows[i][1]).append(",\"Active\":").append(rows[i][2])
                            .append(",\"Size\":").append(OutputFormat.quote(rows[i][3])).append(",\"Reclaimable\":")
                            .append(OutputFormat.quote(rows[i][4])).append('}');
                }
                cli.out().println(sb.append(']'));
                return 0;
            }
            OutputFormat.Table t = new OutputFormat.Table("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
            for (String[] r : rows) {
                t.row(r);
            }
            cli.out().print(t);
            return 0;
        }
    }

    static final class Prune implements Command {
        @Override
        public Options options() {
            return new Options().flag("-a, --all", "remove every image no container uses, not only unnamed ones")
                    .flag("--volumes", "also remove volumes no container uses")
                    .flag("-f, --force", "do not ask (accepted for compatibility)");
        }

        @Override
        public String usage() {
            return "[-a] [--volumes] [-f]";
        }

        @Override
        public String summary() {
            return "Remove stopped containers, unused images and networks, stale resources and (with --volumes) volumes";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            a.atMost(0);
            Containers containers = new Containers(cli.paths(), Cli.home());
            int removed = 0;
            for (Container c : containers.store().list()) {
                if (!c.running() && c.status() != dev.pelagos.runtime.container.ContainerStatus.CREATED) {
                    containers.lifecycle().remove(c, false);
                    removed++;
                }
            }
            cli.out().println("Deleted containers: " + removed);
            Set<String> keep = new HashSet<>();
            Set<String> usedVolumes = new HashSet<>();
            for (Container c : containers.store().list()) {
                if (c.record().image() != null) {
                    keep.add(c.record().image());
                }
                c.record().mounts().stream().filter(m -> m.type().equals("volume")).forEach(m -> usedVolumes.add(m.source()));
            }
            ImageStore.PruneResult r = ImageStore.open(cli.paths().data()).prune(a.has("all"), keep);
            r.images().forEach(n -> cli.out().println("Deleted image: " + n));
            long bytes = r.bytes();
            for (String n : dev.pelagos.cli.network.NetworkCommands.pruneUnused(cli)) {
                cli.out().println("Deleted network: " + n);
            }
            if (a.has("volumes")) {
                for (String v : new VolumeStore(cli.paths().volumes()).prune(usedVolumes)) {
                    cli.out().println("Deleted volume: " + v);
                }
            }
            List<String> stale = new Cleanup(containers.store(), cli.paths().data().resolve("overlay"), cli.paths().runtime(),
                    containers.helper().jniLibrary()).run();
            cli.out().println("Total reclaimed space: " + Sizes.human(bytes) + " (" + stale.size() + " stale resources removed)");
            return 0;
        }
    }
}
