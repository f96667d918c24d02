package dev.pelagos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependency directions of docs/ARCHITECTURE.md, checked on the sources of every module: each
 * package may only name the packages listed for it (imports and fully-qualified names alike), and
 * FFM is used only in pelagos-sys. A failure names the file and the reference that breaks the rule.
 */
class ArchitectureTest {
    private static final Pattern REF = Pattern.compile("\\bdev\\.pelagos\\.([a-z]+)(?:\\.([a-z]+))?");

    /** Module (or runtime package) → what it may reference besides itself. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("base", Set.of()),
            Map.entry("lisp", Set.of()),
            Map.entry("sys", Set.of("base")),
            Map.entry("cgroup", Set.of("base")),
            Map.entry("image", Set.of("base", "sys")),
            Map.entry("runtime.seccomp", Set.of("base", "sys")),
            Map.entry("runtime.spec", Set.of("base", "runtime.seccomp")),
            Map.entry("runtime.rootfs", Set.of("base")),
            Map.entry("runtime.volume", Set.of("base", "runtime.spec")),
            Map.entry("runtime.launch", Set.of("base", "sys", "runtime.spec", "runtime.rootfs", "runtime.seccomp",
                    "runtime.volume")),
            Map.entry("runtime.network", Set.of("base", "sys", "runtime.spec")), // spec: the -p values it publishes
            Map.entry("runtime.dns", Set.of()),
            Map.entry("runtime.container", Set.of("base", "sys", "cgroup", "image", "runtime.spec", "runtime.rootfs",
                    "runtime.seccomp", "runtime.volume", "runtime.launch", "runtime.network", "runtime.dns")),
            Map.entry("runtime.oci", Set.of("base", "sys", "cgroup", "runtime.spec", "runtime.rootfs", "runtime.seccomp",
                    "runtime.launch", "runtime.container")));

    @Test
    void everyPackageOnlyNamesWhatItMayDependOn() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path src : sources()) {
            String unit = unitOf(src);
            if (unit == null || unit.startsWith("cli")) {
                continue; // the CLI is the top: it may use everything, nothing may use it
            }
            Set<String> allowed = ALLOWED.get(unit);
            if (allowed == null) {
                violations.add(src + ": package " + unit + " is not in the architecture table");
                continue;
            }
            for (String line : code(src)) {
                Matcher m = REF.matcher(line);
                while (m.find()) {
                    String target = m.group(1).equals("runtime") && m.group(2) != null ? "runtime." + m.group(2) : m.group(1);
                    if (!target.equals(unit) && !allowed.contains(target) && !target.equals("runtime")) {
                        violations.add(src + ": " + unit + " must not use " + m.group());
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void foreignFunctionsAreUsedOnlyInTheSysLayer() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path src : sources()) {
            String unit = unitOf(src);
            if (unit != null && !unit.equals("sys")) {
                for (String line : code(src)) {
                    if (line.contains("java.lang.foreign")) {
                        violations.add(src + ": FFM outside pelagos-sys");
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theArchitectureTableCoversTheModulesItClaims() throws IOException {
        assertThat(sources()).anyMatch(p -> "runtime.launch".equals(unitOf(p))).anyMatch(p -> "lisp".equals(unitOf(p)));
    }

    private static List<Path> sources() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path m : modules.filter(p -> p.getFileName().toString().startsWith("pelagos-")).toList()) {
                Path main = m.resolve("src/main/java");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> s = Files.walk(main)) {
                        s.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
                    }
                }
            }
        }
        return out;
    }

    /** "runtime.launch" for dev/pelagos/runtime/launch/X.java, "cgroup" for dev/pelagos/cgroup/..., null elsewhere. */
    private static String unitOf(Path src) {
        String s = src.toString().replace('\\', '/');
        int i = s.indexOf("/dev/pelagos/");
        if (i < 0) {
            return null;
        }
        String[] parts = s.substring(i + "/dev/pelagos/".length()).split("/");
        if (parts[0].equals("runtime") && parts.length > 2) {
            return "runtime." + parts[1];
        }
        return parts[0];
    }

    /** The file's lines without comments (a reference in Javadoc is not a dependency). */
    private static List<String> code(Path src) throws IOException {
        List<String> out = new ArrayList<>();
        boolean inComment = false;
        for (String line : Files.readAllLines(src)) {
            String t = line.strip();
            if (inComment) {
                if (t.contains("*/")) {
                    inComment = false;
                }
                continue;
            }
            if (t.startsWith("/*")) {
                inComment = !t.contains("*/");
                continue;
            }
            if (t.startsWith("//") || t.startsWith("*") || t.startsWith("package ")) {
                continue;
            }
            int c = line.indexOf("//");
            out.add(c >= 0 ? line.substring(0, c) : line);
        }
        return out;
    }
}
