package dev.pelagos.cli.rootfs;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.CommandGroup;
import dev.pelagos.cli.OutputFormat;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.runtime.rootfs.RootfsStore;
import java.nio.file.Path;
import java.util.List;

/** {@code pelagos rootfs import|ls|rm}: named root filesystem directories. */
public final class RootfsCommands {
    private RootfsCommands() {
    }

    public static CommandGroup group() {
        return new CommandGroup("Manage named root filesystem directories")
                .add("import", "Name a root filesystem directory", Import::new)
                .add("ls", "List named root filesystems", Ls::new)
                .add("rm", "Forget a named root filesystem (the directory stays)", Rm::new)
                .alias("list", "ls")
                .alias("remove", "rm");
    }

    private static RootfsStore store(Cli cli) {
        return new RootfsStore(cli.paths().rootfsLinks());
    }

    static final class Import implements Command {
        @Override
        public Options options() {
            return new Options();
        }

        @Override
        public String usage() {
            return "NAME PATH";
        }

        @Override
        public String summary() {
            return "Name a root filesystem directory so that 'run --rootfs NAME' finds it";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            String name = a.required(0, "a NAME");
            String path = a.required(1, "a PATH");
            a.atMost(2);
            Path target = store(cli).importDir(name, Path.of(path));
            cli.out().println("Imported rootfs '" + name + "' → " + target);
            return 0;
        }
    }

    static final class Ls implements Command {
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
            return "List named root filesystems";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            a.atMost(0);
            OutputFormat format = OutputFormat.parse(a.get("format"));
            List<RootfsStore.Entry> entries = store(cli).list();
            if (format == OutputFormat.JSON) {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < entries.size(); i++) {
                    sb.append(i == 0 ? "" : ",").append("{\"name\":").append(OutputFormat.quote(entries.get(i).name()))
                            .append(",\"path\":").append(OutputFormat.quote(entries.get(i).path().toString())).append('}');
                }
                cli.out().println(sb.append(']'));
                return 0;
            }
            if (entries.isEmpty()) {
                cli.out().println("No rootfs images. Use: pelagos rootfs import <name> <path>");
                return 0;
            }
            OutputFormat.Table t = new OutputFormat.Table("NAME", "PATH");
            entries.forEach(e -> t.row(e.name(), e.path().toString()));
            cli.out().print(t);
            return 0;
        }
    }

    static final class Rm implements Command {
        @Override
        public Options options() {
            return new Options();
        }

        @Override
        public String usage() {
            return "NAME";
        }

        @Override
        public String summary() {
            return "Forget a named root filesystem (the directory itself is kept)";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            String name = a.required(0, "a NAME");
            a.atMost(1);
            store(cli).remove(name);
            cli.out().println("Removed rootfs '" + name + "'");
            return 0;
        }
    }
}
