package dev.pelagos.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pelagos.runtime.launch.LaunchHook;
import dev.pelagos.runtime.launch.SpecTag.HookPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

class OciHooksTest {
    private static OciConfig.Hook hook(String name) {
        return new OciConfig.Hook("/hooks/" + name, List.of(name, "arg"), List.of("K=" + name), name.equals("prestart") ? 7 : null);
    }

    private static final OciConfig.Hooks ALL = new OciConfig.Hooks(List.of(hook("prestart")), List.of(hook("createRuntime")),
            List.of(hook("createContainer")), List.of(hook("startContainer")), List.of(hook("poststart")), List.of(hook("poststop")));

    private static List<HookPhase> phases(List<LaunchHook> hooks) {
        return hooks.stream().map(LaunchHook::phase).toList();
    }

    /** Every phase up to startContainer has a moment only the helper sees; 'start' and 'delete' run the rest. */
    @Test
    void aCreateGivesTheHelperThePhasesUpToStartContainer() {
        assertThat(phases(OciHooks.forHelper(ALL, true, false))).containsExactly(HookPhase.PRESTART, HookPhase.CREATE_RUNTIME,
                HookPhase.CREATE_CONTAINER, HookPhase.START_CONTAINER);
    }

    @Test
    void aRunGivesTheHelperEveryPhaseInLifecycleOrder() {
        assertThat(phases(OciHooks.forHelper(ALL, false, true))).containsExactly(HookPhase.PRESTART, HookPhase.CREATE_RUNTIME,
                HookPhase.CREATE_CONTAINER, HookPhase.START_CONTAINER, HookPhase.POSTSTART, HookPhase.POSTSTOP);
        // a detached or kept run leaves poststop to 'delete', which runs it from the saved record
        assertThat(phases(OciHooks.forHelper(ALL, false, false))).doesNotContain(HookPhase.POSTSTOP).hasSize(5);
    }

    @Test
    void fieldsAreCarriedAsGiven() {
        LaunchHook prestart = OciHooks.forHelper(ALL, false, true).getFirst();
        assertThat(prestart).isEqualTo(new LaunchHook(HookPhase.PRESTART, "/hooks/prestart", List.of("prestart", "arg"),
                List.of("K=prestart"), 7));
        LaunchHook start = OciHooks.forHelper(ALL, true, false).getLast();
        assertThat(start.phase()).isEqualTo(HookPhase.START_CONTAINER);
        assertThat(start.timeoutSeconds()).isZero();
        assertThat(OciHooks.forHelper(null, false, true)).isEmpty();
        assertThat(OciHooks.forHelper(new OciConfig.Hooks(null, null, null, null, null, null), false, true)).isEmpty();
    }

    @Test
    void theStateForTheHelperLacksOnlyItsClosingBracePidAndStatus() {
        OciRecord r = new OciRecord("1.0.2", "box", "/b", "/b/rootfs", 0L, 1L, java.util.Map.of("a", "b"), "/cg", null, 0, 0, 0,
                List.of(), List.of(), "/", new long[5], false, false, List.of());
        String prefix = OciStateJson.withoutPidAndStatus(r);
        assertThat(prefix).startsWith("{\"ociVersion\":\"1.0.2\",\"id\":\"box\"").doesNotEndWith("}").doesNotContain("\"pid\"")
                .doesNotContain("\"status\"").contains("\"annotations\":{\"a\":\"b\"}");
        com.google.gson.JsonObject completed = com.google.gson.JsonParser.parseString(prefix + ",\"pid\":5,\"status\":\"created\"}")
                .getAsJsonObject();
        assertThat(completed.get("bundle").getAsString()).isEqualTo("/b");
        assertThat(completed.get("pid").getAsInt()).isEqualTo(5);
    }
}
