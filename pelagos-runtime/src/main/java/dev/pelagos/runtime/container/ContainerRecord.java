package dev.pelagos.runtime.container;

import java.util.List;
import java.util.Map;

/**
 * The part of a container's state that never changes after creation, stored as
 * {@code <runtime>/containers/<id>/config.json}. What changes (pid, exit status) is written by the
 * helper into sibling files; see {@link ContainerState}.
 */
public record ContainerRecord(
        String id,
        String name,
        String created,
        String image,
        String rootfs,
        List<String> command,
        String hostname,
        boolean autoRemove,
        Map<String, String> labels) {
}
