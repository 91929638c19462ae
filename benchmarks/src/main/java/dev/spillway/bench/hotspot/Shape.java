package dev.spillway.bench.hotspot;

import dev.spillway.bench.report.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A load shape of issue 11: the five presets, or one a user describes with {@code --custom} ({@link #custom}). Each
 * server's load is given as a share of its own capacity, before and after the middle of the row (equal unless the
 * shape is a step), so that a shape means the same whatever the capacity: a thread-bound page's capacity is
 * workers / page time, a CPU-bound page's is measured before the rows.
 */
final class Shape {
    /**
     * Shape 4's JIT warm-up: a lone server at 30% under a 0.25-CPU quota spent 2.8-3.2 ms of CPU per page in its
     * first seconds, 1.7-1.9 ms in seconds 10-29 with p99 spikes of 30-70 ms, and 1.5 ms with p99 5-10 ms from second
     * 30 on (JitWarmup, BENCHMARKS.md section 7): its JIT compiles within the same quota as its pages.
     */
    static final int CPU_WARMUP_SECONDS = 30;
    /** The presets' page: /slow?ms=100. */
    static final int PRESET_PAGE_MS = 100;
    /** Custom shapes are numbered from here on, in the order given. */
    static final int FIRST_CUSTOM = 6;
    static final int MIN_SERVERS = 2;
    static final int MAX_SERVERS = 6;
    static final int MAX_WORKERS = 400;
    static final int MAX_PAGE_MS = 10_000;
    /** Three times a server's capacity: beyond that nothing but the queue is measured. */
    static final double MAX_SHARE = 3.0;

    static final Shape EQUAL = new Shape(1, "equal servers, a at 126%", "three servers of 20 workers,"
            + " /slow?ms=100 (200 req/s each); 420 req/s split 60/20/20: a at 126% of its capacity, b and c at 42%",
            ordered("a", 20, "b", 20, "c", 20), ordered("a", 1.26, "b", 0.42, "c", 0.42), null, PRESET_PAGE_MS,
            false, false, 5);
    static final Shape SIZES = new Shape(2, "different sizes, a with half the workers", "a has 10 workers (100"
            + " req/s), b and c 20 (200 req/s); /slow?ms=100; 420 req/s split evenly (as DNS round robin would): a at"
            + " 140%, b and c at 70%",
            ordered("a", 10, "b", 20, "c", 20), ordered("a", 1.40, "b", 0.70, "c", 0.70), null, PRESET_PAGE_MS,
            false, false, 5);
    static final Shape STEP = new Shape(3, "a step: a from 50% to 150% mid-row", "three servers of 20 workers,"
            + " /slow?ms=100 (200 req/s each); a gets 100 req/s, then 300 req/s from the middle of the row on; b and"
            + " c 100 req/s throughout",
            ordered("a", 20, "b", 20, "c", 20), ordered("a", 0.50, "b", 0.50, "c", 0.50),
            ordered("a", 1.50, "b", 0.50, "c", 0.50), PRESET_PAGE_MS, false, false, 5);
    static final Shape CPU = new Shape(4, "CPU-bound, each server in its own CPU cgroup", "a CPU-bound page"
            + " (/work?cost=N) on three servers of 20 workers, each JVM in its own cgroup-v1 cpu group with a quota"
            + " (separate hosts); capacity measured first, warm; load split 60/20/20: a at 126%, b and c at 42%",
            ordered("a", 20, "b", 20, "c", 20), ordered("a", 1.26, "b", 0.42, "c", 0.42), null, PRESET_PAGE_MS,
            true, false, CPU_WARMUP_SECONDS);
    static final Shape EVEN = new Shape(5, "all at 90% (nothing to gain)", "three servers of 20 workers,"
            + " /slow?ms=100 (200 req/s each); 540 req/s split evenly: every server at 90% of its capacity",
            ordered("a", 20, "b", 20, "c", 20), ordered("a", 0.90, "b", 0.90, "c", 0.90), null, PRESET_PAGE_MS,
            false, true, 5);

    private static final List<Shape> PRESETS = List.of(EQUAL, SIZES, STEP, CPU, EVEN);

    final int number;
    final String title;
    final String description;
    /** Workers per server id, in the shape's server order. */
    final Map<String, Integer> workers;
    /** Load as a share of each server's capacity, for the whole row or (with {@link #after}) its first half. */
    final Map<String, Double> before;
    /** The second half's shares, or null when the load does not change. */
    final Map<String, Double> after;
    /** A thread-bound page's time (/slow?ms=N); unused for a CPU-bound shape. */
    final int pageMs;
    final boolean cpuBound;
    /** Shape 5 and a custom shape with no server above its capacity: "no worse than no offloading". */
    final boolean nothingToGain;
    /** Seconds at 30% of capacity that fresh servers get before a row is counted, unless --warmup says otherwise. */
    final int warmupSeconds;

    private Shape(int number, String title, String description, Map<String, Integer> workers,
            Map<String, Double> before, Map<String, Double> after, int pageMs, boolean cpuBound,
            boolean nothingToGain, int warmupSeconds) {
        this.number = number;
        this.title = title;
        this.description = description;
        this.workers = workers;
        this.before = before;
        this.after = after;
        this.pageMs = pageMs;
        this.cpuBound = cpuBound;
        this.nothingToGain = nothingToGain;
        this.warmupSeconds = warmupSeconds;
    }

    /** The five presets, 1..5. */
    static List<Shape> values() {
        return PRESETS;
    }

    /** The server ids, in order (a, b, c for the presets). */
    List<String> ids() {
        return List.copyOf(workers.keySet());
    }

    String label() {
        return "shape " + number + ": " + title;
    }

    /** Load share of {@code id} in the first half (false) or second half (true) of a row. */
    double share(String id, boolean secondHalf) {
        return (secondHalf && after != null ? after : before).get(id);
    }

    /** Requests/s that {@code id} serves at most: workers / page time (a thread-bound page). */
    double capacity(String id) {
        return workers.get(id) * 1000.0 / pageMs;
    }

    /**
     * The percentage of {@code id}'s requests above its capacity over a whole row: what must leave it, at the least.
     * The goal allows moving this plus 5 points. NaN for a server the shape does not have.
     */
    double excessPercent(String id) {
        if (!workers.containsKey(id)) {
            return Double.NaN;
        }
        double offered = share(id, false) + share(id, true);
        if (offered == 0) {
            return 0;
        }
        double excess = Math.max(0, share(id, false) - 1) + Math.max(0, share(id, true) - 1);
        return 100 * excess / offered;
    }

    /** "1..5", "all", or a comma list such as "1,5". */
    static List<Shape> parse(String key, String v) {
        if (v.equals("all")) {
            return values();
        }
        List<Shape> out = new ArrayList<>();
        for (String part : v.split(",")) {
            String p = part.trim();
            Shape found = null;
            for (Shape s : values()) {
                if (String.valueOf(s.number).equals(p)) {
                    found = s;
                }
            }
            if (found == null) {
                throw new Usage(key + ": '" + p + "' is not a shape; expected 1, 2, 3, 4, 5, a comma list or all");
            }
            if (!out.contains(found)) {
                out.add(found);
            }
        }
        return List.copyOf(out);
    }

    static final String CUSTOM_FORM = "servers=ID:WORKERS,...; page-ms=MS; load=ID:SHARE,...[; after=ID:SHARE,...]"
            + " [; title=TEXT]";

    /**
     * A shape from {@code --custom}: parts separated by ';', each {@code key=value}:
     * <ul>
     *   <li>{@code servers=a:40,b:40,c:20}: 2 to 6 servers, each an id (a lowercase letter, then letters or digits)
     *       and its workers (1..400), in order;</li>
     *   <li>{@code page-ms=50}: the page /slow?ms=50 (1..10000); each server's capacity is workers * 1000 / ms;</li>
     *   <li>{@code load=a:1.3,b:0.4} or {@code a:130%,b:40%}: each server's load as a share of its own capacity (0..3),
     *       every server named once;</li>
     *   <li>{@code after=...}: optional, the same for the second half of the row (a step at the middle);</li>
     *   <li>{@code title=...}: optional, the shape's title in the table.</li>
     * </ul>
     * The shape has nothing to gain (shape 5's goals) when no server exceeds its capacity in either half.
     */
    static Shape custom(String key, String spec, int number) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String raw : spec.split(";")) {
            String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new Usage(key + ": '" + part + "' is not key=value; expected " + CUSTOM_FORM);
            }
            String k = part.substring(0, eq).trim();
            if (!List.of("servers", "page-ms", "load", "after", "title").contains(k)) {
                throw new Usage(key + ": unknown part '" + k + "'; expected servers, page-ms, load, after or title ("
                        + CUSTOM_FORM + ")");
            }
            if (parts.put(k, part.substring(eq + 1).trim()) != null) {
                throw new Usage(key + ": '" + k + "' is given twice");
            }
        }
        for (String required : List.of("servers", "page-ms", "load")) {
            if (!parts.containsKey(required)) {
                throw new Usage(key + ": '" + required + "=' is missing; expected " + CUSTOM_FORM);
            }
        }
        Map<String, Integer> workers = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : pairs(key, "servers", parts.get("servers")).entrySet()) {
            String id = e.getKey();
            if (!id.matches("[a-z][a-z0-9]{0,7}") || id.equals(HotspotBench.LB)) {
                throw new Usage(key + ": servers: '" + id + "' is not a server id; expected a lowercase letter, then"
                        + " up to 7 letters or digits (not 'lb')");
            }
            workers.put(id, Usage.whole(key + ": servers: " + id + "'s workers", e.getValue(), 1, MAX_WORKERS));
        }
        if (workers.size() < MIN_SERVERS || workers.size() > MAX_SERVERS) {
            throw new Usage(key + ": servers: " + workers.size() + " given; expected " + MIN_SERVERS + " to "
                    + MAX_SERVERS);
        }
        int pageMs = Usage.whole(key + ": page-ms", parts.get("page-ms"), 1, MAX_PAGE_MS);
        Map<String, Double> before = shares(key, "load", parts.get("load"), workers);
        Map<String, Double> after = parts.containsKey("after") ? shares(key, "after", parts.get("after"), workers)
                : null;
        boolean overloaded = before.values().stream().anyMatch(s -> s > 1)
                || (after != null && after.values().stream().anyMatch(s -> s > 1));
        String title = parts.getOrDefault("title", "custom");
        StringBuilder d = new StringBuilder(String.format(Locale.ROOT, "%d servers, /slow?ms=%d; ", workers.size(),
                pageMs));
        List<String> each = new ArrayList<>();
        workers.forEach((id, w) -> each.add(String.format(Locale.ROOT, "%s %d workers at %s%s", id, w,
                percent(before.get(id)), after == null ? "" : " then " + percent(after.get(id)))));
        d.append(String.join(", ", each)).append(overloaded ? "" : " (no server above capacity: nothing to gain)");
        return new Shape(number, title, d.toString(), Collections.unmodifiableMap(workers), before, after, pageMs,
                false, !overloaded, 5);
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }

    /** "a:1,b:2" as an ordered map; every id once. */
    private static Map<String, String> pairs(String key, String part, String v) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String raw : v.split(",")) {
            String p = raw.trim();
            int colon = p.indexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new Usage(key + ": " + part + ": '" + p + "' is not ID:VALUE (e.g. a:40)");
            }
            String id = p.substring(0, colon).trim();
            if (m.put(id, p.substring(colon + 1).trim()) != null) {
                throw new Usage(key + ": " + part + ": '" + id + "' is given twice");
            }
        }
        return m;
    }

    /** Each server's share of its capacity: 1.3 or 130%, from 0 to 3; exactly the servers of {@code workers}. */
    private static Map<String, Double> shares(String key, String part, String v, Map<String, Integer> workers) {
        Map<String, Double> m = new LinkedHashMap<>();
        Map<String, String> given = pairs(key, part, v);
        for (String id : given.keySet()) {
            if (!workers.containsKey(id)) {
                throw new Usage(key + ": " + part + ": '" + id + "' is not one of the servers " + workers.keySet());
            }
        }
        for (String id : workers.keySet()) {
            String s = given.get(id);
            if (s == null) {
                throw new Usage(key + ": " + part + ": server '" + id + "' has no share; every server needs one");
            }
            String name = key + ": " + part + ": " + id + "'s share";
            m.put(id, s.endsWith("%") ? Usage.number(name, s.substring(0, s.length() - 1).trim(), 0, MAX_SHARE * 100)
                    / 100 : Usage.number(name, s, 0, MAX_SHARE));
        }
        return Collections.unmodifiableMap(m);
    }

    private static <V> Map<String, V> ordered(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            V value = (V) kv[i + 1];
            m.put((String) kv[i], value);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return label();
    }
}
