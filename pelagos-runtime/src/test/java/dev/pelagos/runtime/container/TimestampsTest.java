package dev.pelagos.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
    @ParameterizedTest
    @ValueSource(longs = {0L, 951_782_400_123_456L, 1_796_000_000_000_001L, 4_102_444_799_999_999L, 1_709_164_800_000_000L})
    void formatsLikeInstantToStringWithMicroseconds(long micros) {
        Instant i = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        String s = Timestamps.format(micros);
        assertThat(Instant.parse(s)).isEqualTo(i);
        assertThat(s).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    }
}
