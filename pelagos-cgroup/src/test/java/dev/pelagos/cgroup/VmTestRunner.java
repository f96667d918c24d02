package dev.pelagos.cgroup;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs test classes with the JUnit launcher and prints one machine-readable line per event, for
 * {@link CgroupV2VmIT} to read back from inside the VM:
 * {@code RESULT <SUCCESSFUL|FAILED|ABORTED|SKIPPED> <method> <reason>}, {@code REPORT <method> <key>=<value>}
 * and a final {@code SUMMARY succeeded=N failed=N skipped=N}. Exit status 0 only if nothing failed.
 */
public final class VmTestRunner {
    private VmTestRunner() {
    }

    public static void main(String[] classNames) {
        PrintStream out = System.out;
        int[] counts = new int[3]; // succeeded, failed, skipped
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                if (test.isTest()) {
                    counts[2]++;
                    out.println("RESULT SKIPPED " + name(test) + " " + oneLine(reason));
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                String why = result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("");
                if (!test.isTest()) {
                    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                        counts[1]++; // a class-level failure (e.g. @BeforeAll) fails the run too
                        out.println("RESULT FAILED " + name(test) + " " + oneLine(why));
                    }
                    return;
                }
                switch (result.getStatus()) {
                    case SUCCESSFUL -> counts[0]++;
                    case FAILED -> counts[1]++;
                    case ABORTED -> counts[2]++;
                }
                out.println("RESULT " + result.getStatus() + " " + name(test) + " " + oneLine(why));
            }

            @Override
            public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
                for (Map.Entry<String, String> e : entry.getKeyValuePairs().entrySet()) {
                    out.println("REPORT " + name(test) + " " + e.getKey() + "=" + oneLine(e.getValue()));
                }
            }
        };
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(classNames).map(DiscoverySelectors::selectClass).toList())
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);
        out.println("SUMMARY succeeded=" + counts[0] + " failed=" + counts[1] + " skipped=" + counts[2]);
        out.flush();
        System.exit(counts[1] == 0 ? 0 : 1);
    }

    private static String name(TestIdentifier test) {
        String dn = test.getDisplayName();
        int paren = dn.indexOf('(');
        return paren > 0 ? dn.substring(0, paren) : dn;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
