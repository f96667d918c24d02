package dev.pelagos.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.base.PelagosException;
import org.junit.jupiter.api.Test;

class DeviceRequestTest {
    @Test
    void dockersFourForms() throws Exception {
        assertThat(DeviceRequest.parse("/dev/fuse")).isEqualTo(new DeviceRequest("/dev/fuse", "/dev/fuse", "rwm"));
        assertThat(DeviceRequest.parse("/dev/sdb:/dev/xvdb")).isEqualTo(new DeviceRequest("/dev/sdb", "/dev/xvdb", "rwm"));
        assertThat(DeviceRequest.parse("/dev/sdb:r")).isEqualTo(new DeviceRequest("/dev/sdb", "/dev/sdb", "r"));
        assertThat(DeviceRequest.parse("/dev/sdb:/dev/xvdb:mr")).isEqualTo(new DeviceRequest("/dev/sdb", "/dev/xvdb", "mr"));
    }

    @Test
    void badFormsSayWhatIsWrong() {
        assertThatThrownBy(() -> DeviceRequest.parse("dev/fuse")).isInstanceOf(PelagosException.class)
                .hasMessage("invalid --device 'dev/fuse': it needs an absolute host path");
        assertThatThrownBy(() -> DeviceRequest.parse("/dev/sdb:xvdb")).hasMessageContaining("absolute container path");
        assertThatThrownBy(() -> DeviceRequest.parse("/dev/sdb:/x:rwx")).hasMessageContaining("permissions 'rwx'");
        assertThatThrownBy(() -> DeviceRequest.parse("/dev/sdb:/x:rr")).hasMessageContaining("permissions 'rr'");
        assertThatThrownBy(() -> DeviceRequest.parse("/a:/b:r:w")).hasMessageContaining("too many ':'");
    }
}
