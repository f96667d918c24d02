package dev.pelagos.runtime.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SpecTag mirrors native/src/helper/protocol.h: every tag, mode and mount option must agree, both ways. */
class SpecTagTest {
    private static String header;

    @BeforeAll
    static void readHeader() throws IOException {
        Path h = Path.of("").toAbsolutePath();
        while (h != null && !Files.exists(h.resolve("native/src/helper/protocol.h"))) {
            h = h.getParent();
        }
        assertThat(h).as("native/src/helper/protocol.h above " + Path.of("").toAbsolutePath()).isNotNull();
        header = Files.readString(h.resolve("native/src/helper/protocol.h"));
    }

    private static Map<String, Long> constants(String prefix) {
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\b" + prefix + "([A-Z0-9_]+)\\s*=\\s*([^,/\\n]+)").matcher(header);
        while (m.find()) {
            out.put(m.group(1), evaluate(m.group(2).trim()));
        }
        return out;
    }

    private static long evaluate(String expr) {
        Matcher shift = Pattern.compile("(\\d+)\\s*<<\\s*(\\d+)").matcher(expr);
        if (shift.matches()) {
            return Long.parseLong(shift.group(1)) << Long.parseLong(shift.group(2));
        }
        return Long.decode(expr.replaceAll("[uU]$", ""));
    }

    @Test
    void everyTagAgreesBothWays() {
        Map<String, Long> c = constants("PG_T_");
        assertThat(c).hasSizeGreaterThan(40);
        Map<String, Long> java = Arrays.stream(SpecTag.values())
                .collect(Collectors.toMap(Enum::name, t -> (long) t.code(), (a, b) -> a, LinkedHashMap::new));
        assertThat(java).containsExactlyInAnyOrderEntriesOf(c);
    }

    @Test
    void tagCodesAreUnique() {
        assertThat(Arrays.stream(SpecTag.values()).map(SpecTag::code).collect(Collectors.toSet())).hasSize(SpecTag.values().length);
    }

    @Test
    void modesAgree() {
        Map<String, Long> java = Arrays.stream(SpecTag.Mode.values())
                .collect(Collectors.toMap(Enum::name, m -> (long) m.code()));
        assertThat(java).containsExactlyInAnyOrderEntriesOf(constants("PG_MODE_"));
    }

    @Test
    void hookPhasesAgree() {
        Map<String, Long> java = Arrays.stream(SpecTag.HookPhase.values())
                .collect(Collectors.toMap(Enum::name, p -> (long) p.code()));
        assertThat(java).hasSize(6).containsExactlyInAnyOrderEntriesOf(constants("PG_HOOK_"));
    }

    @Test
    void mountOptionsAgree() throws IllegalAccessException {
        Map<String, Long> java = new LinkedHashMap<>();
        for (java.lang.reflect.Field f : SpecTag.class.getFields()) {
            if (f.getName().startsWith("MNT_") && f.getType() == int.class) {
                java.put(f.getName().substring(4), (long) f.getInt(null));
            }
        }
        assertThat(java).containsKeys("ROOT", "MKDIR", "MKFILE", "NOFOLLOW", "REMOUNT", "OPTIONAL", "AFTER_PIVOT");
        assertThat(java).containsExactlyInAnyOrderEntriesOf(constants("PG_MNT_"));
    }

    @Test
    void magicAndVersionAgree() {
        Matcher magic = Pattern.compile("#define PG_SPEC_MAGIC (0x[0-9a-fA-F]+)u").matcher(header);
        Matcher version = Pattern.compile("#define PG_SPEC_VERSION (\\d+)u").matcher(header);
        assertThat(magic.find()).isTrue();
        assertThat(version.find()).isTrue();
        assertThat(SpecTag.MAGIC_VALUE).isEqualTo(Integer.parseUnsignedInt(magic.group(1).substring(2), 16));
        assertThat(SpecTag.VERSION).isEqualTo(Integer.parseInt(version.group(1)));
    }
}
