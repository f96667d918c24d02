package dev.pelagos.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "0, 0",
        "30, 30000",
        "30s, 30000",
        "1.5s, 1500",
        "500ms, 500",
        "1m, 60000",
        "1m30s, 90000",
        "2h, 7200000",
        "1h1m1s, 3661000",
        "' 10s ', 10000",
    })
    void parsesDockerDurations(String text, long millis) throws PelagosException {
        assertThat(Durations.parse("timeout", text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"250us, 250000", "250µs, 250000", "100ns, 100"})
    void parsesSubMillisecondUnits(String text, long nanos) throws PelagosException {
        assertThat(Durations.parse("timeout", text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", "s", "-5s", "10x", "1m 30s", "ten", "5s5", "1d", "m1"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse("timeout", text))
                .isInstanceOf(PelagosException.class)
                .hasMessage("invalid timeout '" + text + "'")
                .satisfies(e -> assertThat(((PelagosException) e).hint()).contains("1m30s"));
    }
}
