package dev.spillway.agent.contract;

import java.util.Locale;

/** How a filter treats requests it is told to move. */
public enum OffloadMode {
    /** Serve everything here. The default, and what a filter falls back to when a lease runs out. */
    LOCAL,
    /** Answer eligible requests with a 307 to a peer; the client follows it. */
    REDIRECT,
    /** Stream eligible requests to a peer and its response back, through this server. */
    PROXY;

    /** Parses a mode name case-insensitively; the error names the accepted values. */
    public static OffloadMode parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("mode is missing; expected one of LOCAL, REDIRECT, PROXY");
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "mode '" + text + "' is not known; expected one of LOCAL, REDIRECT, PROXY", e);
        }
    }
}
