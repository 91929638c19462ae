package dev.spillway.agent.jmx;

import java.util.Locale;

/** What an authenticated JMX user may do. */
public enum JmxRole {
    /** Read attributes and receive notifications. */
    READONLY,
    /** Also invoke operations and set attributes on Spillway MBeans (apply and clear directives, drain). */
    CONTROL;

    /** Parses an access-file role; {@code readwrite} (the JDK's word) means control. */
    static JmxRole parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "readonly" -> READONLY;
            case "control", "readwrite" -> CONTROL;
            default -> null;
        };
    }
}
