package dev.spillway.agent.contract;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** The JMX names every part agrees on (see shared/DESIGN.md, "Contract names"). */
public final class ObjectNames {
    public static final String DOMAIN = "dev.spillway";
    public static final String AGENT = DOMAIN + ":type=Agent";
    public static final String MANAGER = DOMAIN + ":type=Manager";
    /** Matches the MXBean of every Spillway filter in an MBeanServer. */
    public static final String ALL_FILTERS = DOMAIN + ":type=Filter,*";

    private ObjectNames() {
    }

    /** {@code dev.spillway:type=Filter,context=<context path, or ROOT>}. */
    public static ObjectName filter(String contextPath) {
        String context = contextPath == null || contextPath.isEmpty() ? "ROOT" : contextPath;
        return of(DOMAIN + ":type=Filter,context=" + quoteIfNeeded(context));
    }

    public static ObjectName agent() {
        return of(AGENT);
    }

    public static ObjectName manager() {
        return of(MANAGER);
    }

    public static ObjectName allFilters() {
        return of(ALL_FILTERS);
    }

    public static ObjectName of(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a valid JMX ObjectName: " + name, e);
        }
    }

    // Context paths are plain "/shop" almost always; quote only what ObjectName would reject.
    private static String quoteIfNeeded(String value) {
        for (char c : value.toCharArray()) {
            if (c == ',' || c == '=' || c == ':' || c == '"' || c == '*' || c == '?' || c == '\n') {
                return ObjectName.quote(value);
            }
        }
        return value;
    }
}
