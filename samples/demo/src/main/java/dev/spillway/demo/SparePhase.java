package dev.spillway.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's third phase: the spare pool at work. First a load past what a, b and c can carry (a as before, b and c
 * near their share of capacity, so no member has room for a's excess): the manager finds the members short of
 * capacity and allocates d, and a moves its excess there. Then the load falls to half of phase 2's, and the manager
 * releases d back to the pool. Each part runs its set time, and on (bounded) until the allocation or release is seen.
 */
final class SparePhase {
    /** How long the high load goes on at most after its set time while d is not allocated; the same for release. */
    static final int MAX_EXTRA_SECONDS = 40;
    /** The high load keeps going this long after d's allocation, so d's share shows. */
    static final long WITH_SPARE_NANOS = 5_000_000_000L;

    private SparePhase() {
    }

    /**
     * a as in phases 1 and 2; b and c about 150 requests/s each, past the 0.8 of their capacity that permits fill a
     * target to: no member has room for a's excess.
     */
    static List<Load.Stream> highLoad() {
        List<Load.Stream> s = new ArrayList<>();
        for (String id : Cluster.IDS) {
            boolean hot = Demo.HOT.equals(id);
            s.add(new Load.Stream(id, Load.Kind.PAGE, "/slow?ms=" + Demo.SLOW_MS, hot ? 180 : 135));
            s.add(new Load.Stream(id, Load.Kind.PAGE, "/catalog/item-{n}", hot ? 12 : 8));
            s.add(new Load.Stream(id, Load.Kind.PAGE, "/search?q=item{n}", hot ? 6 : 4));
            s.add(new Load.Stream(id, Load.Kind.CART, "/cart/add", 1));
            s.add(new Load.Stream(id, Load.Kind.ADMIN, "/admin/users", 2));
        }
        return s;
    }

    /** Half of phase 2's pages: the members' load fits without d with a wide margin. */
    static List<Load.Stream> fallenLoad() {
        return Demo.scaled(Demo.streams(), 0.5);
    }

    static PoolReport run(Load load, Cluster cluster, Map<String, FilterProbe> probes, int highSeconds,
            int fallenSeconds, boolean live, PrintStream out) throws InterruptedException, IOException {
        PoolWatch watch = new PoolWatch(cluster);
        watch.start();
        FilterProbe spare = probes.get(Cluster.SPARE);
        long[] servedWhileSpare = {0};
        int[] allocatedAt = {-1};
        int[] releasedAt = {-1};
        out.printf(Locale.ROOT, "%nPhase 3 of 3, %d s or more: the spare. b and c get %.0f requests/s each, a as"
                + " before: no member has room for a's excess; the manager allocates d (it is short of capacity for"
                + " 2 s), and a moves requests there%n", highSeconds, rate(highLoad(), "b"));
        drive(load, "high", highSeconds, highLoad(), probes, live, out, cluster, sec -> {
            FilterProbe.Reading d = spare.read(); // before the check: if d is still in the pool after it, d got nothing
            watch.tick();
            if (!watch.allocated()) {
                servedWhileSpare[0] = Math.max(servedWhileSpare[0], d == null ? 0 : d.requests());
            } else if (allocatedAt[0] < 0) {
                allocatedAt[0] = sec;
                out.println("  -- the manager allocated d --");
                return true;
            }
            return false;
        }, () -> watch.allocated() && System.nanoTime() - watch.allocatedNanos() >= WITH_SPARE_NANOS);
        long fellAt = System.nanoTime();
        out.printf(Locale.ROOT, "%nThe load falls to half of phase 2's (%.0f requests/s): the manager releases d once"
                + " the members are under-used for 3 s, its permits have ended and nothing moves to it%n",
                rate(fallenLoad(), null));
        drive(load, "fallen", fallenSeconds, fallenLoad(), probes, live, out, cluster, sec -> {
            boolean before = watch.released();
            watch.tick();
            if (!before && watch.released()) {
                releasedAt[0] = sec;
                out.println("  -- the manager released d --");
                return true;
            }
            return false;
        }, watch::released);
        load.awaitIdle(60_000);

        List<Load.Result> all = load.results();
        long allocated = watch.allocated() ? watch.allocatedNanos() : Long.MAX_VALUE;
        List<Load.Result> high = all.stream().filter(r -> "high".equals(r.phase())).toList();
        List<Load.Result> before = high.stream().filter(r -> r.dueNanos() < allocated).toList();
        List<Load.Result> withSpare = high.stream().filter(r -> r.dueNanos() >= allocated).toList();
        List<Load.Result> fallen = all.stream().filter(r -> "fallen".equals(r.phase()) && r.dueNanos() >= fellAt)
                .toList();
        long errors = all.stream().filter(r -> ("high".equals(r.phase()) || "fallen".equals(r.phase()))
                && r.error() != null).count();
        return new PoolReport(allocatedAt[0], releasedAt[0], p99(before), p99(withSpare), p99(fallen),
                withSpare.stream().filter(r -> Cluster.SPARE.equals(r.servedBy())).count(), withSpare.size(),
                servedWhileSpare[0], errors, read(cluster.membershipFile()), hookLines(cluster, watch.released()));
    }

    private static void drive(Load load, String phase, int seconds, List<Load.Stream> streams,
            Map<String, FilterProbe> probes, boolean live, PrintStream out, Cluster cluster, Demo.Tick tick,
            java.util.function.BooleanSupplier done) throws InterruptedException {
        Demo.drive(load, phase, seconds, seconds + MAX_EXTRA_SECONDS, streams, probes, tick, live, out, cluster, done);
    }

    private static double rate(List<Load.Stream> streams, String server) {
        return streams.stream().filter(s -> server == null || server.equals(s.server()))
                .mapToDouble(s -> s.kind() == Load.Kind.CART ? 3 * s.perSecond() : s.perSecond()).sum();
    }

    private static double p99(List<Load.Result> rs) {
        return PhaseStats.pct(rs.stream().mapToLong(Load.Result::latencyNanos).sorted().toArray(), 99);
    }

    /** The hook's record; it runs on the manager's hook thread, so the release line may come a moment later. */
    private static List<String> hookLines(Cluster cluster, boolean released) throws InterruptedException {
        Path log = cluster.runDir().resolve(Cluster.HOOK_LOG);
        long end = System.currentTimeMillis() + 10_000;
        List<String> lines = lines(log);
        while (released && lines.stream().noneMatch(l -> l.contains(" release ")) && System.currentTimeMillis() < end) {
            Thread.sleep(200);
            lines = lines(log);
        }
        return lines;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String read(Path file) {
        return String.join("\n", lines(file));
    }

    static void printSummary(PoolReport p, PrintStream out) {
        out.println();
        out.println("The spare d (phase 3):");
        out.printf(Locale.ROOT, "  %-44s %s%n", "d allocated", p.allocatedAtSecond() < 0 ? "never"
                : "in second " + p.allocatedAtSecond() + " of the high load");
        out.printf(Locale.ROOT, "  %-44s %s before d, %s with d%n", "p99 under the high load (ms)",
                PhaseStats.ms(p.p99BeforeMillis()), PhaseStats.ms(p.p99WithSpareMillis()));
        out.printf(Locale.ROOT, "  %-44s %d (%.0f%% of the requests due with d)%n", "requests d served",
                p.servedBySpare(), p.spareSharePercent());
        out.printf(Locale.ROOT, "  %-44s %d (must be 0)%n", "requests d received while in the pool",
                p.servedBeforeAllocation());
        out.printf(Locale.ROOT, "  %-44s %s%n", "d released", p.releasedAtSecond() < 0 ? "not within the phase"
                : "in second " + p.releasedAtSecond() + " after the load fell");
        out.printf(Locale.ROOT, "  %-44s %s%n", "p99 after the load fell (ms)", PhaseStats.ms(p.p99FallenMillis()));
        out.printf(Locale.ROOT, "  %-44s %d%n", "requests failed in phase 3", p.errors());
        out.println("  the membership file, as the manager left it:");
        p.membership().lines().forEach(l -> out.println("    | " + l));
        out.println("  the pool hook's record (" + Cluster.HOOK_LOG + "):");
        p.hooks().forEach(l -> out.println("    | " + l));
    }
}
