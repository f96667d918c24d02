package dev.pelagos.lisp;

import dev.pelagos.lisp.value.ComposeSpec;
import java.util.Objects;

/**
 * What {@code (compose-up spec [project [foreground]])} asked for: compose runs it after the
 * program ends. {@code project} is null when the program did not name one.
 */
public record ComposeRequest(ComposeSpec spec, String project, boolean foreground) {
    public ComposeRequest {
        Objects.requireNonNull(spec, "spec");
    }
}
