package dev.spillway.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A component's settings in the order they are documented: the one place its known keys, {@code --help} and README
 * table come from. A key listed twice must be the same descriptor (the filter and its forwarder share
 * {@code trustedProxies}); two different descriptors under one key are a programming error. Immutable.
 */
public final class SettingList {
    private final Map<String, Setting<?>> byKey;

    private SettingList(Map<String, Setting<?>> byKey) {
        this.byKey = Collections.unmodifiableMap(byKey);
    }

    public static SettingList of(Setting<?>... settings) {
        return new SettingList(new LinkedHashMap<>()).plus(settings);
    }

    public SettingList plus(Setting<?>... settings) {
        Map<String, Setting<?>> m = new LinkedHashMap<>(byKey);
        for (Setting<?> s : settings) {
            Setting<?> before = m.putIfAbsent(s.key(), s);
            if (before != null && before != s) {
                throw new IllegalArgumentException("two different settings are described under the key " + s.key());
            }
        }
        return new SettingList(m);
    }

    public SettingList plus(SettingList other) {
        return plus(other.byKey.values().toArray(Setting<?>[]::new));
    }

    /** Every setting under {@code prefix + key}: the agent's settings as the filter's {@code agent.*} keys. */
    public SettingList prefixed(String prefix) {
        Map<String, Setting<?>> m = new LinkedHashMap<>();
        for (Setting<?> s : byKey.values()) {
            Setting<?> p = s.prefixed(prefix);
            m.put(p.key(), p);
        }
        return new SettingList(m);
    }

    /** The settings in documentation order, documentation-only rows included. */
    public List<Setting<?>> all() {
        return List.copyOf(byKey.values());
    }

    /** The keys a configuration may contain (documentation-only rows are not keys). */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Setting<?> s : byKey.values()) {
            if (!s.isDocumentedOnly()) {
                keys.add(s.key());
            }
        }
        return Collections.unmodifiableSet(keys);
    }

    /** Fails on a key of {@code values} that is not one of {@link #keys()} plus {@code extra}, as a likely typo. */
    public ConfigValues requireOnlyKnown(ConfigValues values, Set<String> extra) {
        Set<String> known = new LinkedHashSet<>(keys());
        known.addAll(extra);
        return values.requireOnlyKnown(known);
    }

    public ConfigValues requireOnlyKnown(ConfigValues values) {
        return requireOnlyKnown(values, Set.of());
    }

    @Override
    public String toString() {
        return new ArrayList<>(byKey.keySet()).toString();
    }
}
