package dev.spillway.manager.policy;

import java.util.Locale;

/** What the manager thinks of a host; the lower-case name is the {@code state} field of {@code /api/hosts}. */
public enum HostState {
    OK, OVERLOADED, FAILED, UNKNOWN, DRAINING, SPARE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
