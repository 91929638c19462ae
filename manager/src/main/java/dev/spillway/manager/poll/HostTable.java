package dev.spillway.manager.poll;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Hosts from the config file plus hosts that registered themselves. A configured host keeps its configured JMX
 * URL (a registration cannot redirect the manager to another address) but takes the zone and web URL it announces
 * when none is configured. A registered host that stops announcing for {@code expiryMillis} is forgotten.
 * Thread-safe: registrations arrive on JMX threads while the cycle reads.
 */
public final class HostTable {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Map<String, HostEntry> entries = new ConcurrentHashMap<>();
    private final Set<String> drained = ConcurrentHashMap.newKeySet();
    private final long expiryMillis;

    public HostTable(List<HostEntry> configured, long expiryMillis) {
        this.expiryMillis = expiryMillis;
        for (HostEntry e : configured) {
            entries.put(e.id(), e);
        }
    }

    public static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("host id '" + id + "' is not valid; expected 1-64 of A-Z a-z 0-9 . _ -");
        }
    }

    public static void checkJmxUrl(String url) {
        if (url == null || !url.startsWith("service:jmx:")) {
            throw new IllegalArgumentException("agent JMX URL '" + url + "' is not valid; expected service:jmx:...");
        }
    }

    public void register(String id, String jmxUrl, String zone, String webBaseUrl, long nowMillis) {
        checkId(id);
        checkJmxUrl(jmxUrl);
        String z = zone == null ? "" : zone;
        String w = webBaseUrl == null ? "" : webBaseUrl;
        entries.compute(id, (k, old) -> {
            if (old != null && old.configured()) {
                return new HostEntry(id, old.jmxUrl(), old.zone().isEmpty() ? z : old.zone(),
                        old.webBaseUrl().isEmpty() ? w : old.webBaseUrl(), true, nowMillis);
            }
            return new HostEntry(id, jmxUrl, z, w, false, nowMillis);
        });
    }

    public void deregister(String id) {
        entries.computeIfPresent(id, (k, old) -> old.configured() ? old : null);
    }

    /** Drops registered hosts that have not announced themselves for the expiry time. */
    public void expire(long nowMillis) {
        entries.values().removeIf(e -> !e.configured() && nowMillis - e.registeredAtMillis() > expiryMillis);
    }

    public List<HostEntry> entries() {
        List<HostEntry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparing(HostEntry::id));
        return list;
    }

    public boolean contains(String id) {
        return id != null && entries.containsKey(id);
    }

    /** @return false when the host is not in the table */
    public boolean setDrained(String id, boolean drain) {
        if (!contains(id)) {
            return false;
        }
        if (drain) {
            drained.add(id);
        } else {
            drained.remove(id);
        }
        return true;
    }

    public boolean isDrained(String id) {
        return drained.contains(id);
    }

    public int size() {
        return entries.size();
    }
}
