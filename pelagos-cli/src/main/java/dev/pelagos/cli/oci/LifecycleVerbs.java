package dev.pelagos.cli.oci;

import dev.pelagos.base.PelagosException;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;

/** The small OCI verbs: state, delete, pause, resume. */
public final class LifecycleVerbs {
    private LifecycleVerbs() {
    }

    /** {@code pelagos state ID}: the runtime-spec state JSON. */
    public static final class State implements Command {
        @Override
        public Options options() {
            return new Options();
        }

        @Override
        public String usage() {
            return "ID";
        }

        @Override
        public String summary() {
            return "Print an OCI container's state as JSON";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            String id = a.required(0, "a container ID");
            a.atMost(1);
            cli.out().println(OciContext.runtime(cli).stateJson(id));
            return 0;
        }
    }

    /** {@code pelagos delete [--force] ID}. */
    public static final class Delete implements Command {
        @Override
        public Options options() {
            return new Options().flag("-f, --force", "kill the container first if it is created or running");
        }

        @Override
        public String usage() {
            return "[--force] ID";
        }

        @Override
        public String summary() {
            return "Delete an OCI container (a live one only with --force)";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            String id = a.required(0, "a container ID");
            a.atMost(1);
            OciContext.warn(cli, OciContext.runtime(cli).delete(id, a.has("force")));
            return 0;
        }
    }

    /** {@code pelagos pause ID}: freeze every process of the container. */
    public static final class Pause implements Command {
        @Override
        public Options options() {
            return new Options();
        }

        @Override
        public String usage() {
            return "ID";
        }

        @Override
        public String summary() {
            return "Suspend all processes of an OCI container";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            String id = a.required(0, "a container ID");
            a.atMost(1);
            OciContext.runtime(cli).pause(id);
            return 0;
        }
    }

    /** {@code pelagos resume ID}. */
    public static final class Resume implements Command {
        @Override
        public Options options() {
            return new Options();
        }

        @Override
        public String usage() {
            return "ID";
        }

        @Override
        public String summary() {
            return "Resume a paused OCI container";
        }

        @Override
        public int run(Args a, Cli cli) throws PelagosException {
            String id = a.required(0, "a container ID");
            a.atMost(1);
            OciContext.runtime(cli).resume(id);
            return 0;
        }
    }
}
