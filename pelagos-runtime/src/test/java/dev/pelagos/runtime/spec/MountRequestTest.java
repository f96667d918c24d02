package dev.pelagos.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The -v, --bind, --bind-ro and --tmpfs syntaxes, with REFERENCE §1.3's messages for bad input. */
class MountRequestTest {

    @Test
    void volumeWithAbsoluteSourceIsABindThatCreatesItsSource() throws PelagosException {
        assertThat(MountRequest.parseVolume("/srv/data:/data"))
                .isEqualTo(new MountRequest.Bind(Path.of("/srv/data"), "/data", false, true));
        assertThat(MountRequest.parseVolume("/srv/data:/data:ro"))
                .isEqualTo(new MountRequest.Bind(Path.of("/srv/data"), "/data", true, true));
        assertThat(MountRequest.parseVolume("/srv/data:/data:rw"))
                .isEqualTo(new MountRequest.Bind(Path.of("/srv/data"), "/data", false, true));
        assertThat(MountRequest.parseVolume("/srv/data:/data:ro,z"))
                .isEqualTo(new MountRequest.Bind(Path.of("/srv/data"), "/data", true, true));
    }

    @Test
    void volumeWithRelativeDotSourceIsMadeAbsolute() throws PelagosException {
        MountRequest m = MountRequest.parseVolume("./here:/data");
        assertThat(m).isInstanceOf(MountRequest.Bind.class);
        assertThat(((MountRequest.Bind) m).source()).isEqualTo(Path.of("here").toAbsolutePath().normalize());
    }

    @Test
    void volumeWithANameIsANamedVolume() throws PelagosException {
        assertThat(MountRequest.parseVolume("cache:/var/cache")).isEqualTo(new MountRequest.Volume("cache", "/var/cache", false));
        assertThat(MountRequest.parseVolume("cache:/var/cache:ro")).isEqualTo(new MountRequest.Volume("cache", "/var/cache", true));
    }

    @ParameterizedTest(name = "-v ''{0}''")
    @CsvSource(delimiter = '#', value = {
        "x#invalid --volume 'x': expected NAME:/path or /host:/path[:ro|rw]",
        ":/data#invalid --volume ':/data': expected NAME:/path or /host:/path[:ro|rw]",
        "/src:#invalid --volume '/src:': expected NAME:/path or /host:/path[:ro|rw]",
        "/a:/b:ro:x#invalid --volume '/a:/b:ro:x': expected NAME:/path or /host:/path[:ro|rw]",
        "/a:/b:bogus#invalid --volume '/a:/b:bogus': unknown option 'bogus'",
        "/a:relative#invalid --volume '/a:relative': the container path 'relative' must be absolute",
        "/a:/#invalid --volume '/a:/': cannot mount over the container's root",
        "bad name!:/b#invalid volume name 'bad name!'",
        "-leading:/b#invalid volume name '-leading'",
    })
    void badVolumeSpecs(String spec, String message) {
        assertThatThrownBy(() -> MountRequest.parseVolume(spec)).isInstanceOf(PelagosException.class).hasMessage(message);
    }

    @Test
    void bindAndBindRo() throws PelagosException {
        assertThat(MountRequest.parseBind("--bind", "/h:/c", false)).isEqualTo(new MountRequest.Bind(Path.of("/h"), "/c", false, false));
        assertThat(MountRequest.parseBind("--bind-ro", "/h/../h2:/c", true))
                .isEqualTo(new MountRequest.Bind(Path.of("/h2"), "/c", true, false));
    }

    @ParameterizedTest(name = "{0} ''{1}''")
    @CsvSource(delimiter = '#', value = {
        "--bind#x#invalid --bind 'x': expected /host:/container",
        "--bind#/a:/b:/c#invalid --bind '/a:/b:/c': expected /host:/container",
        "--bind#:/c#invalid --bind ':/c': expected /host:/container",
        "--bind-ro#/a:#invalid --bind-ro '/a:': expected /host:/container",
        "--bind#/a:rel#invalid --bind '/a:rel': the container path 'rel' must be absolute",
        "--bind-ro#/a:/#invalid --bind-ro '/a:/': cannot mount over the container's root",
    })
    void badBindSpecs(String flag, String spec, String message) {
        assertThatThrownBy(() -> MountRequest.parseBind(flag, spec, flag.endsWith("-ro")))
                .isInstanceOf(PelagosException.class).hasMessage(message);
    }

    @Test
    void tmpfsWithAndWithoutOptions() throws PelagosException {
        assertThat(MountRequest.parseTmpfs("/run")).isEqualTo(new MountRequest.Tmpfs("/run", ""));
        assertThat(MountRequest.parseTmpfs("/run:size=64m,mode=1777")).isEqualTo(new MountRequest.Tmpfs("/run", "size=64m,mode=1777"));
    }

    @Test
    void badTmpfsSpecs() {
        assertThatThrownBy(() -> MountRequest.parseTmpfs("run")).hasMessage("invalid --tmpfs 'run': the container path 'run' must be absolute");
        assertThatThrownBy(() -> MountRequest.parseTmpfs("/")).hasMessage("invalid --tmpfs '/': cannot mount over the container's root");
        assertThatThrownBy(() -> MountRequest.parseTmpfs(":size=1m")).hasMessage("invalid --tmpfs ':size=1m': the container path '' must be absolute");
    }

    @Test
    void recordsRefuseRelativeTargets() {
        assertThatThrownBy(() -> new MountRequest.Tmpfs("x", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MountRequest.Volume("v", null, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
