package dev.pelagos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the libraries' System.Logger records reach the user: warnings always, debug with --debug, JDK noise never. */
class CliLoggerFinderTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CliLoggerFinder finder = new CliLoggerFinder();

    @AfterEach
    void reset() {
        CliLoggerFinder.configure(System.err, null, "text", false);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void warningsArePelagosLinesAndDebugIsSilentByDefault() {
        CliLoggerFinder.configure(new PrintStream(err, true, StandardCharsets.UTF_8), null, "text", false);
        System.Logger log = finder.getLogger("dev.pelagos.runtime.X", getClass().getModule());
        log.log(System.Logger.Level.DEBUG, "step {0}", 1);
        log.log(System.Logger.Level.WARNING, "state of {0} is unreadable", "abc");
        assertThat(err()).isEqualTo("pelagos: warning: state of abc is unreadable\n");
    }

    @Test
    void debugGoesToStderrInRuncTextLayoutButNotTheJdksOwnRecords() {
        CliLoggerFinder.configure(new PrintStream(err, true, StandardCharsets.UTF_8), null, "text", true);
        finder.getLogger("dev.pelagos.runtime.oci.OciCreate", getClass().getModule())
                .log(System.Logger.Level.DEBUG, "create {0}: \"quoted\"", "c1");
        finder.getLogger("jdk.event.security", getClass().getModule()).log(System.Logger.Level.DEBUG, "X509Certificate: ...");
        assertThat(err().lines().toList()).singleElement().satisfies(l -> assertThat(l)
                .matches("time=\"[0-9T:.-]+Z\" level=debug msg=\"create c1: \\\\\"quoted\\\\\"\""));
    }
}
