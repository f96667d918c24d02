package dev.pelagos.image;

import java.util.Locale;

/** When {@code run}, {@code compose up} and {@code FROM} pull (DECISIONS §A5): {@code --pull=missing|always|never}. */
public enum PullPolicy {
    MISSING, ALWAYS, NEVER;

    public static PullPolicy parse(String text) throws ImageException {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "missing" -> MISSING;
            case "always" -> ALWAYS;
            case "never" -> NEVER;
            default -> throw ImageException.invalid("invalid --pull value '" + text + "'", "use missing, always or never");
        };
    }
}
