package dev.pelagos.cli;

/**
 * The name this program was called by ({@code pelagos.program}, set by the launcher from argv[0]).
 * Called as {@code runc} (a symlink, for tools that run an OCI runtime by that name) it answers as
 * an OCI runtime: the verbs both interfaces share are the OCI ones and help takes runc's layout,
 * which such tools and runc's own test suite read.
 */
final class Program {
    private Program() {
    }

    static String name() {
        return System.getProperty("pelagos.program", "pelagos");
    }

    static boolean isOciRuntime() {
        return name().equals("runc");
    }
}
