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
 * when none is configured. A registered host that stops announcing for {@code expiryMillis} is forgotten, and with
 * it the operator's drain flag: a drain lasts while the host is in the table, so a host that left (expired or
 * deregistered) and registers again starts undrained, like any new host, and ids that left cannot pile up here.
 * Configured hosts never leave, so their drain lasts until an operator enables them.
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
        register(id, jmxUrl, zone, webBaseUrl, nowMillis, Integer.MAX_VALUE);
    }

    /**
     * Adds or renews a host. A registered id stays bound to the agent URL that first registered it: a registration
     * of the same id with another URL is refused until the binding expires, is deregistered or released (otherwise
     * anyone with a control login could take over a host's id, feed fake loads or steer its directives).
     *
     * @param maxRegistered how many self-registered hosts the table may hold; a new one beyond that is refused
     * @throws IllegalArgumentException for a bad id or URL
     * @throws IllegalStateException when the id is bound to another URL or the table is full
     */
    public synchronized void register(String id, String jmxUrl, String zone, String webBaseUrl, long nowMillis,
                                      int maxRegistered) {
        checkId(id);
        checkJmxUrl(jmxUrl);
        String z = zone == null ? "" : zone;
        String w = webBaseUrl == null ? "" : webBaseUrl;
        HostEntry old = entries.get(id);
        if (old != null && old.configured()) {
            // the configured URL stays: a registration cannot send the manager elsewhere
            entries.put(id, new HostEntry(id, old.jmxUrl(), old.zoneOr(z), old.webBaseUrlOr(w), true, nowMillis));
            return;
        }
        if (old != null && nowMillis - old.registeredAtMillis() > expiryMillis) {
            forget(id);
            old = null;
        }
        if (old != null && !old.jmxUrl().equals(jmxUrl)) {
            throw new IllegalStateException("host id '" + id + "' is bound to the agent that registered it first;"
                    + " it is free again when that agent stops announcing (registration.expiry) or deregisters,"
                    + " or when an operator releases it");
        }
        if (old == null && registeredCount() >= maxRegistered) {
            expire(nowMillis);
            if (registeredCount() >= maxRegistered) {
                throw new IllegalStateException("the manager holds its maximum of " + maxRegistered
                        + " registered hosts (registration.maxHosts); host '" + id + "' is not added");
            }
        }
        entries.put(id, new HostEntry(id, jmxUrl, z, w, false, nowMillis));
    }

    private int registeredCount() {
        return (int) entries.values().stream().filter(e -> !e.configured()).count();
    }

    /** The entry of {@code id}, or null. */
    public HostEntry get(String id) {
        return id == null ? null : entries.get(id);
    }

    public synchronized void deregister(String id) {
        HostEntry e = get(id);
        if (e != null && !e.configured()) {
            forget(id);
        }
    }

    /** Drops registered hosts that have not announced themselves for the expiry time. */
    public synchronized void expire(long nowMillis) {
        for (HostEntry e : entries.values()) {
            if (!e.configured() && nowMillis - e.registeredAtMillis() > expiryMillis) {
                forget(e.id());
            }
        }
    }

    private void forget(String id) {
        entries.remove(id);
        drained.remove(id);
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
    public synchronized boolean setDrained(String id, boolean drain) {
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
