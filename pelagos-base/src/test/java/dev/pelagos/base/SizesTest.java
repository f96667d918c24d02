package dev.pelagos.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "0, 0",
        "512, 512",
        "512b, 512",
        "512B, 512",
        "64k, 65536",
        "64K, 65536",
        "64kb, 65536",
        "512m, 536870912",
        "512mb, 536870912",
        "512MB, 536870912",
        "1g, 1073741824",
        "1.5g, 1610612736",
        "2t, 2199023255552",
        "' 8m ', 8388608",
    })
    void parsesSizesWithUnits(String text, long bytes) throws PelagosException {
        assertThat(Sizes.parse("memory", text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"", "m", "mb", "-1", "-1m", "+5", "1e3", "abc", "1x", "NaN", "Infinity", "0x10", "99999999999t",
        "10d", "10f", "1.5.5m"})
    void refusesWhatIsNotASize(String text) {
        assertThatThrownBy(() -> Sizes.parse("memory", text))
                .isInstanceOf(PelagosException.class)
                .hasMessage("invalid memory value '" + text + "'")
                .satisfies(e -> assertThat(((PelagosException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .satisfies(e -> assertThat(((PelagosException) e).hint()).contains("512m"));
    }

    @ParameterizedTest(name = "{0} bytes shown as {1}")
    @CsvSource({
        "0, 0B",
        "512, 512B",
        "1023, 1023B",
        "1024, 1KiB",
        "1536, 1.5KiB",
        "67108864, 64MiB",
        "1073741824, 1GiB",
        "1610612736, 1.5GiB",
        "104857600, 100MiB",
        "1048064000, 999.5MiB",
        // 1000 and 1020 KiB: trailing zeros of an integer must not be stripped
        "1024000, 1000KiB",
        "1044480, 1020KiB",
    })
    void humanSizes(long bytes, String shown) {
        assertThat(Sizes.human(bytes)).isEqualTo(shown);
    }
}
