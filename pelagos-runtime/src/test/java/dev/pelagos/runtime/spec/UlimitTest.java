package dev.pelagos.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UlimitTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "nofile=1024:2048, nofile, 7, 1024, 2048",
        "NOFILE=1024:2048, nofile, 7, 1024, 2048",
        "openfiles=10, openfiles, 7, 10, 10",
        "nproc=100:200, nproc, 6, 100, 200",
        "maxproc=5, maxproc, 6, 5, 5",
        "core=0, core, 4, 0, 0",
        "cpu=unlimited, cpu, 0, -1, -1",
        "cpu=-1:-1, cpu, 0, -1, -1",
        "stack=8388608:unlimited, stack, 3, 8388608, -1",
        "as=1:2, as, 9, 1, 2",
        "vmem=1:2, vmem, 9, 1, 2",
        "fsize=1:2, fsize, 1, 1, 2",
        "memlock=1:2, memlock, 8, 1, 2",
        "rss=1:2, rss, 5, 1, 2",
        "msgqueue=1:2, msgqueue, 12, 1, 2",
        "nice=1:2, nice, 13, 1, 2",
        "rtprio=1:2, rtprio, 14, 1, 2",
        "data=1:2, data, 2, 1, 2",
        "locks=1:2, locks, 10, 1, 2",
        "sigpending=1:2, sigpending, 11, 1, 2",
        "rttime=1:2, rttime, 15, 1, 2",
    })
    void parsesEveryResource(String spec, String name, int resource, long soft, long hard) throws PelagosException {
        assertThat(Ulimit.parse(spec)).isEqualTo(new Ulimit(name, resource, soft, hard));
    }

    @ParameterizedTest(name = "--ulimit ''{0}''")
    @CsvSource(delimiter = '|', value = {
        "nofile|invalid --ulimit 'nofile': expected RESOURCE=SOFT:HARD",
        "=1:2|invalid --ulimit '=1:2': expected RESOURCE=SOFT:HARD",
        "bogus=1:2|invalid --ulimit 'bogus=1:2': unknown ulimit resource 'bogus'",
        "nofile=1:2:3|invalid --ulimit 'nofile=1:2:3': expected SOFT:HARD",
        "nofile=|invalid --ulimit 'nofile=': expected SOFT:HARD",
        "nofile=:2|invalid --ulimit 'nofile=:2': expected SOFT:HARD",
        "nofile=2:1|invalid --ulimit 'nofile=2:1': the soft limit is above the hard limit",
        "nofile=unlimited:100|invalid --ulimit 'nofile=unlimited:100': the soft limit is above the hard limit",
        "nofile=x:1|invalid --ulimit 'nofile=x:1': 'x' is not a number",
        "nofile=-5:1|invalid --ulimit 'nofile=-5:1': '-5' is not a number",
        "nofile=1:|invalid --ulimit 'nofile=1:': '' is not a number",
        "nofile=99999999999999999999|invalid --ulimit 'nofile=99999999999999999999': '99999999999999999999' is not a number",
    })
    void badSpecsHaveOneClearMessage(String spec, String message) {
        assertThatThrownBy(() -> Ulimit.parse(spec)).isInstanceOf(PelagosException.class).hasMessage(message);
    }

    @Test
    void unknownResourceHintListsTheNames() {
        assertThatThrownBy(() -> Ulimit.parse("files=1"))
                .satisfies(e -> assertThat(((PelagosException) e).hint()).contains("nofile").contains("nproc"));
    }

    @Test
    void laterUlimitForTheSameResourceReplacesTheEarlier() throws PelagosException {
        ContainerConfig c = new ContainerConfigBuilder().rootfs(java.nio.file.Path.of("/r"), "r")
                .ulimitFlag("nofile=1:2").ulimitFlag("nproc=3:4").ulimitFlag("openfiles=5:6").build();
        assertThat(c.ulimits()).extracting(Ulimit::resource, Ulimit::soft).containsExactly(
                org.assertj.core.groups.Tuple.tuple(6, 3L), org.assertj.core.groups.Tuple.tuple(7, 5L));
    }
}
