package dev.pelagos.lisp;

/**
 * What a program may touch outside the interpreter: standard output ({@code display},
 * {@code write}, {@code newline}), the log ({@code log}, {@code logf}) and the environment
 * ({@code env}). The library never prints; the CLI supplies stdout/stderr, tests capture.
 */
public interface LispHost {
    /** Text for standard output, exactly as the program produced it (no newline added). */
    void print(String text);

    /** One log message (without the {@code [lisp] } prefix; the host adds its own framing). */
    void log(String message);

    /** An environment variable, or null when unset. */
    default String getenv(String name) {
        return System.getenv(name);
    }

    /** A host that collects output and log lines in memory (tests, embedding). */
    static Capture capture() {
        return new Capture();
    }

    /** Collects everything in memory. */
    final class Capture implements LispHost {
        private final StringBuilder out = new StringBuilder();
        private final java.util.List<String> logs = new java.util.ArrayList<>();
        private final java.util.Map<String, String> env = new java.util.HashMap<>();

        @Override
        public synchronized void print(String text) {
            out.append(text);
        }

        @Override
        public synchronized void log(String message) {
            logs.add(message);
        }

        @Override
        public String getenv(String name) {
            return env.get(name);
        }

        /** Sets a variable that {@code (env NAME)} will see; the real environment is not consulted. */
        public Capture withEnv(String name, String value) {
            env.put(name, value);
            return this;
        }

        public synchronized String output() {
            return out.toString();
        }

        public synchronized java.util.List<String> logs() {
            return java.util.List.copyOf(logs);
        }

        public synchronized void clear() {
            out.setLength(0);
            logs.clear();
        }
    }
}
