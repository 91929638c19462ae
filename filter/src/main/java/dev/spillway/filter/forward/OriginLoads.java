package dev.spillway.filter.forward;

import dev.spillway.filter.hop.HopMarker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last load each origin reported in the signed hop markers of the requests it moved here (peer side; shown on the
 * filter MXBean). Only verified markers get here, so the ids are the farm's; the table is still capped, so a farm
 * with more origins than {@link #MAX_ORIGINS} shows the first ones only. Thread-safe.
 */
public final class OriginLoads {
    static final int MAX_ORIGINS = 256;
    private static final String UNNAMED = "(unnamed)";

    private final Map<String, Seen> byOrigin = new ConcurrentHashMap<>();

    record Seen(HopMarker.Origin origin, long epochMillis) {
    }

    void record(HopMarker.Origin origin, long epochMillis) {
        String id = origin.id() == null ? UNNAMED : origin.id();
        if (byOrigin.size() >= MAX_ORIGINS && !byOrigin.containsKey(id)) {
            return;
        }
        byOrigin.put(id, new Seen(origin, epochMillis));
    }

    /** The last load per origin, in id order. */
    public HopMarker.Origin last(String originId) {
        Seen s = byOrigin.get(originId);
        return s == null ? null : s.origin();
    }

    /**
     * One line per origin, in id order: {@code <id> waiting=<n> busy=<n> max=<n> at=<epochMillis> (proxied|redirected)}
     * (-1: the origin did not know).
     */
    public String[] describe() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Seen> e : new TreeMap<>(byOrigin).entrySet()) {
            HopMarker.Origin o = e.getValue().origin();
            out.add(e.getKey() + " waiting=" + o.waiting() + " busy=" + o.busy() + " max=" + o.max() + " at="
                    + e.getValue().epochMillis() + (o.proxied() ? " proxied" : " redirected"));
        }
        return out.toArray(new String[0]);
    }
}
