package dev.pelagos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.pelagos.base.PelagosException;
import org.junit.jupiter.api.Test;

class GoTemplateTest {
    private static final JsonElement DOC = JsonParser.parseString("""
            {"Id": "abc", "State": {"Status": "running", "Pid": 42, "Running": true, "Health": null},
             "NetworkSettings": {"IPAddress": "10.0.0.2", "Networks": {"front": {"IPAddress": "10.0.0.2"}}},
             "Config": {"Env": ["A=1"]}}
            """);

    private static String render(String t) throws PelagosException {
        return GoTemplate.parse(t).render(DOC);
    }

    @Test
    void fieldsNumbersAndBooleansPrintAsGoPrintsThem() throws Exception {
        assertThat(render("{{.NetworkSettings.IPAddress}}")).isEqualTo("10.0.0.2");
        assertThat(render("{{ .State.Status }} pid={{.State.Pid}} {{.State.Running}}")).isEqualTo("running pid=42 true");
        assertThat(render("{{.State.Nothing}}|{{.State.Health}}")).isEqualTo("<no value>|<nil>");
    }

    @Test
    void jsonIndexAndTrimming() throws Exception {
        assertThat(render("{{json .Config.Env}}")).isEqualTo("[\"A=1\"]");
        assertThat(render("{{index .NetworkSettings.Networks \"front\"}}")).isEqualTo("{\"IPAddress\":\"10.0.0.2\"}");
        assertThat(render("a  {{- .Id -}}  b")).isEqualTo("aabcb");
        assertThat(render("{{json .}}")).startsWith("{\"Id\":\"abc\"");
    }

    @Test
    void whatItCannotDoIsAnErrorNotAGuess() {
        assertThatThrownBy(() -> render("{{.Id")).isInstanceOf(PelagosException.class).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> render("{{range .Config.Env}}{{.}}{{end}}")).isInstanceOf(PelagosException.class)
                .hasMessageContaining("cannot use '{{range .Config.Env}}'");
    }
}
