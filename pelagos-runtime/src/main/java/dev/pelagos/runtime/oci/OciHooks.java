package dev.pelagos.runtime.oci;

import dev.pelagos.runtime.launch.LaunchHook;
import dev.pelagos.runtime.launch.SpecTag.HookPhase;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a bundle's hooks the helper runs. Everything up to startContainer, always: each has a
 * moment only the helper sees (prestart and createRuntime while the container process waits before
 * pivot_root, createContainer and startContainer inside that process). poststart and poststop
 * only for a run: after a create, 'start' and 'delete' run them from the saved record.
 */
public final class OciHooks {
    private OciHooks() {
    }

    /**
     * @param waitsForStart a create, whose process waits on the exec FIFO for 'start'
     * @param withPoststop the helper removes the container when it ends (a foreground run without
     *                     --keep), so no 'delete' will be there to run poststop hooks
     */
    public static List<LaunchHook> forHelper(OciConfig.Hooks h, boolean waitsForStart, boolean withPoststop) {
        List<LaunchHook> out = new ArrayList<>();
        if (h == null) {
            return out;
        }
        add(out, HookPhase.PRESTART, h.prestart());
        add(out, HookPhase.CREATE_RUNTIME, h.createRuntime());
        add(out, HookPhase.CREATE_CONTAINER, h.createContainer());
        add(out, HookPhase.START_CONTAINER, h.startContainer());
        if (!waitsForStart) {
            add(out, HookPhase.POSTSTART, h.poststart());
            if (withPoststop) {
                add(out, HookPhase.POSTSTOP, h.poststop());
            }
        }
        return out;
    }

    private static void add(List<LaunchHook> out, HookPhase phase, List<OciConfig.Hook> hooks) {
        if (hooks == null) {
            return;
        }
        for (OciConfig.Hook h : hooks) {
            out.add(new LaunchHook(phase, h.path(), h.args() == null ? List.of() : h.args(),
                    h.env() == null ? List.of() : h.env(), h.timeout() == null ? 0 : h.timeout()));
        }
    }
}
