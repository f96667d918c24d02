package dev.pelagos.image.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pelagos.image.ImageException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final String CONFIG = "{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":10}";
    private static final String LAYER = "{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + D2 + "\",\"size\":20}";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesAnOciManifest() throws ImageException {
        ManifestDocument doc = ManifestParser.parse(b("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + CONFIG + ",\"layers\":[" + LAYER + "]}"), null, "m");
        assertThat(doc).isInstanceOf(ManifestDocument.ImageManifest.class);
        ManifestDocument.ImageManifest m = (ManifestDocument.ImageManifest) doc;
        assertThat(m.layers()).hasSize(1);
        assertThat(m.layers().getFirst().size()).isEqualTo(20);
        assertThat(m.config().digest().toString()).isEqualTo(D1);
    }

    @Test
    void parsesADockerManifestListWithPlatforms() throws ImageException {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_LIST + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"digest\":\"" + D1 + "\",\"size\":5,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}";
        ManifestDocument.Index index = (ManifestDocument.Index) ManifestParser.parse(b(json),
                MediaTypes.DOCKER_LIST + "; charset=utf-8", "i");
        assertThat(index.manifests().getFirst().platform().toString()).isEqualTo("linux/arm64/v8");
    }

    /** CVE-2021-41190: a document that is both an index and a manifest must be refused. */
    @Test
    void rejectsADocumentThatIsBothIndexAndManifest() {
        String json = "{\"schemaVersion\":2,\"manifests\":[],\"config\":" + CONFIG + ",\"layers\":[" + LAYER + "]}";
        assertThatThrownBy(() -> ManifestParser.parse(b(json), null, "doc")).isInstanceOf(ImageException.class)
                .hasMessageContaining("ambiguous");
        String typed = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"manifests\":[],\"config\":"
                + CONFIG + ",\"layers\":[]}";
        assertThatThrownBy(() -> ManifestParser.parse(b(typed), null, "doc")).hasMessageContaining("ambiguous");
    }

    @Test
    void rejectsMediaTypeContradictingContentType() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + CONFIG
                + ",\"layers\":[]}";
        assertThatThrownBy(() -> ManifestParser.parse(b(json), MediaTypes.OCI_INDEX, "doc"))
                .hasMessageContaining("contradicts");
    }

    @Test
    void rejectsIndexTypedDocumentWithLayers() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"layers\":[]}";
        assertThatThrownBy(() -> ManifestParser.parse(b(json), null, "doc")).hasMessageContaining("does not match");
    }

    @Test
    void rejectsInvalidDigestsInDescriptors() {
        String bad = "{\"mediaType\":\"" + MediaTypes.OCI_LAYER + "\",\"digest\":\"sha256:../../etc/passwd\",\"size\":1}";
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + CONFIG
                + ",\"layers\":[" + bad + "]}";
        assertThatThrownBy(() -> ManifestParser.parse(b(json), null, "doc")).hasMessageContaining("invalid digest");
    }

    @Test
    void rejectsSchemaOneNegativeSizesAndGarbage() {
        assertThatThrownBy(() -> ManifestParser.parse(b("{\"schemaVersion\":1,\"fsLayers\":[]}"), null, "doc"))
                .hasMessageContaining("schemaVersion");
        String neg = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":-1},\"layers\":[]}";
        assertThatThrownBy(() -> ManifestParser.parse(b(neg), null, "doc")).hasMessageContaining("size");
        assertThatThrownBy(() -> ManifestParser.parse(b("[1,2]"), null, "doc")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ManifestParser.parse(b("{not json"), null, "doc")).hasMessageContaining("not valid JSON");
    }

    @Test
    void keepsForeignUrlsSoThePullerCanRefuseThem() throws ImageException {
        String foreign = "{\"mediaType\":\"" + MediaTypes.DOCKER_FOREIGN_LAYER + "\",\"digest\":\"" + D2
                + "\",\"size\":3,\"urls\":[\"https://evil.example/layer\"]}";
        ManifestDocument.ImageManifest m = (ManifestDocument.ImageManifest) ManifestParser.parse(b("{\"schemaVersion\":2,"
                + "\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":" + CONFIG + ",\"layers\":[" + foreign + "]}"),
                null, "doc");
        assertThat(m.layers().getFirst().urls()).containsExactly("https://evil.example/layer");
    }

    @Test
    void translatesTheImageConfig() throws ImageException {
        String json = """
                {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin","A=b"],"Entrypoint":["/init"],
                "Cmd":["serve","--port","80"],"WorkingDir":"/srv","User":"1000:1000","ExposedPorts":{"80/tcp":{}},
                "StopSignal":"SIGQUIT","Volumes":{"/data":{}},"Labels":{"k":"v"},
                "Healthcheck":{"Test":["CMD-SHELL","wget -q localhost"],"Interval":5000000000,"Retries":2}},
                "rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created_by":"x","empty_layer":true}]}
                """.formatted(D1);
        ConfigDocument c = ConfigDocument.parse(b(json), "config");
        assertThat(c.config().env()).containsExactly("PATH=/bin", "A=b");
        assertThat(c.config().entrypoint()).containsExactly("/init");
        assertThat(c.config().cmd()).containsExactly("serve", "--port", "80");
        assertThat(c.config().workingDir()).isEqualTo("/srv");
        assertThat(c.config().user()).isEqualTo("1000:1000");
        assertThat(c.config().exposedPorts()).containsExactly("80/tcp");
        assertThat(c.config().stopSignal()).isEqualTo("SIGQUIT");
        assertThat(c.config().volumes()).containsExactly("/data");
        assertThat(c.config().labels()).containsEntry("k", "v");
        assertThat(c.config().healthcheck().test()).containsExactly("/bin/sh", "-c", "wget -q localhost");
        assertThat(c.config().healthcheck().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.config().healthcheck().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.config().healthcheck().retries()).isEqualTo(2);
        assertThat(c.diffIds()).hasSize(1);
        assertThat(c.history().getFirst().emptyLayer()).isTrue();
    }

    @Test
    void healthcheckNoneMeansNoHealthcheck() throws ImageException {
        ConfigDocument c = ConfigDocument.parse(b("{\"config\":{\"Healthcheck\":{\"Test\":[\"NONE\"]}}}"), "c");
        assertThat(c.config().healthcheck()).isNull();
        assertThat(c.config().cmd()).isEmpty();
    }
}
