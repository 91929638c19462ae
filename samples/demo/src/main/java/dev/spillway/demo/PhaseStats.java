package dev.spillway.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one phase of the load, computed from its results.
 *
 * @param requests        every call (a cart's three calls count three)
 * @param errors          calls that failed or answered other than expected (see {@link Load.Result#error()})
 * @param p50Millis       median latency of all calls, from the moment each was due
 * @param hotP50Millis    the same for calls sent to the hot server only
 * @param movedPages      stateless pages sent to the hot server and served by another
 * @param hotPages        stateless pages sent to the hot server
 * @param movedStateful   cart calls served elsewhere than where they were sent (must be 0)
 * @param movedDenied     admin calls served elsewhere than where they were sent, or answered 307 (must be 0)
 * @param cartsCompleted  carts whose three calls counted 1, 2, 3 on the server they were sent to
 * @param hotQueueDelayMillis the hot server's queue delay (filter MXBean), mean over the second half of the phase
 */
public record PhaseStats(String phase, long requests, long errors, double p50Millis, double p99Millis,
        double hotP50Millis, double hotP99Millis, long hotPages, long movedPages, long cartCalls, long movedStateful,
        long cartsCompleted, long adminCalls, long movedDenied, double hotQueueDelayMillis,
        Map<String, Long> errorKinds) {

    static PhaseStats of(String phase, String hot, List<Load.Result> all, List<Double> hotQueueDelays) {
        List<Load.Result> rs = all.stream().filter(r -> phase.equals(r.phase())).toList();
        long[] lat = rs.stream().mapToLong(Load.Result::latencyNanos).sorted().toArray();
        long[] hotLat = rs.stream().filter(r -> hot.equals(r.hit())).mapToLong(Load.Result::latencyNanos).sorted()
                .toArray();
        long errors = rs.stream().filter(r -> r.error() != null).count();
        Map<String, Long> kinds = new LinkedHashMap<>();
        rs.stream().filter(r -> r.error() != null).forEach(r -> kinds.merge(r.kind() + " to " + r.hit() + ": "
                + r.error().replaceAll("\\d+ items", "N items"), 1L, Long::sum));
        List<Load.Result> pages = rs.stream().filter(r -> r.kind() == Load.Kind.PAGE && hot.equals(r.hit())).toList();
        List<Load.Result> carts = rs.stream().filter(r -> r.kind() == Load.Kind.CART).toList();
        List<Load.Result> admins = rs.stream().filter(r -> r.kind() == Load.Kind.ADMIN).toList();
        long cartsDone = carts.stream().filter(r -> r.step() == 3 && r.error() == null).count();
        List<Double> half = new ArrayList<>(hotQueueDelays.subList(hotQueueDelays.size() / 2, hotQueueDelays.size()));
        half.removeIf(d -> d == null || d.isNaN());
        return new PhaseStats(phase, rs.size(), errors, pct(lat, 50), pct(lat, 99), pct(hotLat, 50), pct(hotLat, 99),
                pages.size(), pages.stream().filter(Load.Result::moved).count(),
                carts.size(), carts.stream().filter(r -> r.moved() || r.redirected()).count(), cartsDone,
                admins.size(), admins.stream().filter(r -> r.moved() || r.redirected()).count(),
                half.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), kinds);
    }

    /** Nearest-rank percentile, in milliseconds; NaN for no data. */
    static double pct(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    public double movedPagesPercent() {
        return hotPages == 0 ? 0 : 100.0 * movedPages / hotPages;
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "-" : v >= 10 ? String.valueOf(Math.round(v)) : String.format("%.1f", v);
    }

    @Override
    public String toString() {
        return phase + ": requests=" + requests + " errors=" + errors + " p50=" + ms(p50Millis) + "ms p99="
                + ms(p99Millis) + "ms hot p50/p99=" + ms(hotP50Millis) + "/" + ms(hotP99Millis) + "ms moved pages="
                + movedPages + "/" + hotPages + " moved stateful=" + movedStateful + "/" + cartCalls
                + " carts ok=" + cartsCompleted + " moved denied=" + movedDenied + "/" + adminCalls
                + " hot queue delay=" + ms(hotQueueDelayMillis) + "ms" + (errorKinds.isEmpty() ? "" : " " + errorKinds);
    }
}
