package dev.spillway.manager.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares every eligible target's spare capacity out as budgets (requests/s) to the hosts that may spill to it, so
 * that the budgets pointing at one target never add up to more than its spare.
 *
 * <p>Every source gets budgets in advance, before it is overloaded: a filter spills the moment its pool backs up, and
 * must not wait a cycle for the manager. A target's spare goes first to the measured need of the sources that list
 * it ({@code excess + unmet}: a source whose own rate is beyond what it may use, or that had requests to spill and no
 * budget for them; divided by {@code 1 − move cost} for a CPU-bound source, whose moved requests still cost it a
 * part of their CPU; never less than what it moved last interval plus the unmet: {@link Capacity#need}), in proportion to it when it is short; what is left is shared in proportion to every lister's
 * floor (5% of its capacity), for a step into overload that the last cycle has not seen, but a source's floor budgets
 * add up to at most {@link #FLOOR_CAP_SHARE} of its own capacity (see there: a stall of the whole machine). Each source lists at most
 * {@code maxTargets} targets: same zone first, then the most spare per source already listing it, so that many
 * sources spread over many targets; a target the source held in the last cycle counts a quarter more, so that
 * noise does not swap targets (and cost a send) every cycle. Budgets below {@link #MIN_BUDGET} are left out (not worth a target).
 */
public final class PermitPlanner {
    /** Smaller budgets are not granted: fewer than one request a second is noise. */
    static final double MIN_BUDGET = 1.0;
    /** Every source's claim on a target includes this part of its own capacity. */
    static final double FLOOR_SHARE = 0.05;
    /**
     * What a source may move with no measured need, over all its targets together: at most this part of its own
     * capacity (requests/s). A budget with no need behind it is a guess at a step the last cycle has not seen, and the
     * valve spends it on whatever backs the pool up. When every pool on the machine backs up at once (a stall: GC
     * pauses everywhere, a noisy neighbour; BENCHMARKS.md 7, "Session 13: a machine-wide stall"), the manager's last
     * cycle still shows the quiet before it, and uncapped floors (the targets' whole spare: 36-82 req/s per target
     * after a warm-up at 30%) let each filter move half its pages into pools just as backed up as its own until the
     * next cycles withdraw them. A real step spills at once all the same (the first request that finds the pool
     * backed up), and its requests over the cap are counted over budget: the agent alerts, and the manager's early
     * cycle grants their rate as measured need, which the cap does not touch.
     */
    static final double FLOOR_CAP_SHARE = 0.10;
    /**
     * A target the source already holds counts as this much more attractive than its share of spare says: among
     * many targets with nearly the same spare, a second's noise would otherwise swap a source's targets every cycle,
     * and each swap is a send to the host and a line in the decision log (at a thousand hosts, most of them).
     */
    static final double HELD_BONUS = 1.25;
    /**
     * How far below the budget its source holds a planned budget may fall and still be planned at the held value
     * ({@link #keepHeldBudgets}): a floor budget follows its targets' spare, and a steady host's rate moves by its
     * Poisson noise (√rate: ±9/s at 80/s, some 11% of a target's spare) each second; a cut beyond 10% is sent at
     * once ({@link DirectiveTracker}), so without this most permits at a thousand hosts went out each cycle for a cut.
     */
    static final double HELD_BUDGET_BAND = 0.25;
    /**
     * A source's own backlog (requests waiting for its workers) is drained over this many seconds: {@code backlog /
     * DRAIN_SECONDS} requests/s, spread evenly over its targets (a need is granted whole by each target that has it;
     * this is not), are claimed from each target's spare that is left after every lister's need, before the floors. Its need alone moves only the excess, so a queue left by a step (the ~0.3 s before the raise)
     * or a stall drained only at what the targets' spare left after it (session 14: a queue of 500 at 20 req/s).
     * Where the needs take a target's whole spare, the drain gets room only from the fill, which counts the same
     * rate as load ({@link ClusterCapacity}). Not the whole backlog
     * within a second (session 8: the valve poured it onto the targets in one burst, the peers' p99 rose to 418-470
     * ms), and never what the others' measured needs take.
     */
    static final double DRAIN_SECONDS = 2.0;

    private final int maxTargets;

    public PermitPlanner(int maxTargets) {
        this.maxTargets = maxTargets;
    }

    /**
     * A host that may spill: its id, zone, capacity estimate, and the requests per second that found its pool
     * backed up but no budget left in the last interval (its filter's {@code SpillOverBudget}): demand the last
     * budgets did not cover, which its request rate cannot show (a backed-up pool takes requests in no faster than
     * it serves them plus what it may spill); and the requests per second it moved to peers in the last interval
     * (its need never falls below them: {@link Capacity#need(double, double, double)}).
     */
    public record Source(String id, String zone, Capacity capacity, double overBudgetRate, List<String> held,
                         double movedRate, double backlog, List<Double> heldBudgets) {
        /** @param heldBudgets the budgets of {@code held}, in its order (empty when unknown: none is kept) */
        public Source {
            heldBudgets = heldBudgets.size() == held.size() ? heldBudgets : List.of();
        }

        public Source(String id, String zone, Capacity capacity, double overBudgetRate, List<String> held,
                      double movedRate, double backlog) {
            this(id, zone, capacity, overBudgetRate, held, movedRate, backlog, List.of());
        }

        public Source(String id, String zone, Capacity capacity, double overBudgetRate, List<String> held,
                      double movedRate) {
            this(id, zone, capacity, overBudgetRate, held, movedRate, 0);
        }

        public Source(String id, String zone, Capacity capacity, double overBudgetRate, List<String> held) {
            this(id, zone, capacity, overBudgetRate, held, 0);
        }

        public Source(String id, String zone, Capacity capacity, double overBudgetRate) {
            this(id, zone, capacity, overBudgetRate, List.of());
        }

        public Source(String id, String zone, Capacity capacity) {
            this(id, zone, capacity, 0);
        }
    }

    /** A host that may take spilled requests: its id, zone, and what may be promised (requests/s). */
    public record Target(String id, String zone, double spare) {
    }

    /** One source's permit: targets best first and a budget each. */
    public record Grant(List<String> targets, List<Double> budgets) {
        public static final Grant NONE = new Grant(List.of(), List.of());

        public double total() {
            return budgets.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * @param sources hosts that may spill (reachable, not drained or failed)
     * @param targets eligible hosts with their spare, after what drained and failed hosts send them
     * @param share   the part of its capacity a host may use (its excess is measured beyond it)
     */
    public Map<String, Grant> plan(List<Source> sources, List<Target> targets, double share) {
        Map<String, Double> weight = new HashMap<>();
        Map<String, Double> need = new HashMap<>();
        Map<String, Double> drain = new HashMap<>();
        for (Source s : sources) {
            Capacity c = s.capacity();
            double floor = Double.isNaN(c.capacity()) ? 1.0 : Math.max(1.0, FLOOR_SHARE * c.capacity());
            double needed = c.need(share, s.overBudgetRate(), s.movedRate());
            double drained = drainRate(c, s.backlog());
            need.put(s.id(), needed);
            drain.put(s.id(), drained);
            weight.put(s.id(), needed + drained + floor);
        }
        // Neediest first: they pick their targets before the others fill the lists.
        List<Source> ordered = new ArrayList<>(sources);
        ordered.sort(Comparator.comparingDouble((Source s) -> -weight.get(s.id())).thenComparing(Source::id));
        Pool pool = new Pool(targets);
        for (Source s : sources) {
            pool.claimHeld(s, weight.get(s.id()), need.get(s.id()), drain.get(s.id()), 1);
        }
        Map<String, List<String>> lists = new HashMap<>();
        for (Source s : ordered) {
            pool.claimHeld(s, weight.get(s.id()), need.get(s.id()), drain.get(s.id()), -1);
            lists.put(s.id(), pool.choose(s, weight.get(s.id()), need.get(s.id()), drain.get(s.id()), maxTargets));
        }
        Map<String, Grant> out = new LinkedHashMap<>();
        for (Source s : sources) {
            List<String> ids = new ArrayList<>();
            List<Double> budgets = new ArrayList<>();
            List<String> listed = lists.get(s.id());
            double[] needPart = new double[listed.size()];
            double[] drainPart = new double[listed.size()];
            double[] floorPart = new double[listed.size()];
            double floors = 0;
            for (int k = 0; k < listed.size(); k++) {
                double w = weight.get(s.id());
                double n = need.get(s.id());
                double d = drain.get(s.id()) / listed.size(); // the drain spread over its targets, unlike a need
                needPart[k] = pool.needBudget(listed.get(k), n);
                drainPart[k] = pool.drainBudget(listed.get(k), d);
                floorPart[k] = pool.floorBudget(listed.get(k), w, n, d);
                floors += floorPart[k];
            }
            double cap = floorCap(s.capacity());
            double scale = floors > cap ? cap / floors : 1;
            for (int k = 0; k < listed.size(); k++) {
                String t = listed.get(k);
                double budget = needPart[k] + drainPart[k] + floorPart[k] * scale;
                if (budget >= MIN_BUDGET) {
                    ids.add(t);
                    budgets.add(Math.floor(budget * 10) / 10);
                }
            }
            out.put(s.id(), ids.isEmpty() ? Grant.NONE : new Grant(List.copyOf(ids), List.copyOf(budgets)));
        }
        keepHeldBudgets(sources, targets, out, need, drain);
        return out;
    }

    /**
     * A source with no measured need nor backlog (its budgets are floors, a guess at a step not seen yet): a budget
     * cut by no more than {@link #HELD_BUDGET_BAND} keeps the value its source holds, where the target's
     * spare has room for it after every budget planned for it (the planner's own budgets never add up to more), and
     * the source's other budgets that grew give the difference back (never below what it holds of them), so that its
     * total stays the planned one, or the one it holds now if that is larger (the floors' cap, {@link #floorCap},
     * still holds as well as it did for the budgets the filter has). Kept budgets are taken in the
     * order of the sources. So the budgets pointing at a target still add up to no more than its spare, and a
     * permit is not re-sent for a second's noise in its targets' rates.
     */
    private static void keepHeldBudgets(List<Source> sources, List<Target> targets, Map<String, Grant> out,
                                        Map<String, Double> need, Map<String, Double> drain) {
        Map<String, Double> room = new HashMap<>();
        for (Target t : targets) {
            room.merge(t.id(), t.spare(), Math::min);
        }
        for (Grant g : out.values()) {
            for (int k = 0; k < g.targets().size(); k++) {
                room.merge(g.targets().get(k), -g.budgets().get(k), Double::sum);
            }
        }
        for (Source s : sources) {
            Grant g = out.get(s.id());
            if (s.heldBudgets().isEmpty() || g.targets().isEmpty() || need.get(s.id()) > 0 || drain.get(s.id()) > 0) {
                continue; // a measured need or backlog is followed as measured: only floors, a guess, are held
            }
            int n = g.targets().size();
            double[] budget = new double[n];
            double[] held = new double[n];
            double raise = 0;
            // its total may stay what it holds now (a cap the filter already has), if the plan's is a little lower
            double givable = Math.max(0, heldTotal(s) - g.total());
            for (int k = 0; k < n; k++) {
                budget[k] = g.budgets().get(k);
                int at = s.held().indexOf(g.targets().get(k));
                held[k] = at < 0 ? Double.NaN : s.heldBudgets().get(at);
                if (held[k] > budget[k] && budget[k] >= (1 - HELD_BUDGET_BAND) * held[k]
                        && room.getOrDefault(g.targets().get(k), 0.0) >= held[k] - budget[k]) {
                    raise += held[k] - budget[k];
                } else if (held[k] < budget[k]) {
                    givable += budget[k] - held[k];
                }
            }
            double grown = givable - Math.max(0, heldTotal(s) - g.total());
            if (!(raise > 0) || givable < raise - 1e-9) {
                continue;
            }
            double giveBack = Math.max(0, raise - (givable - grown)); // what the grown budgets must give
            List<Double> kept = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                String t = g.targets().get(k);
                double b = budget[k];
                if (held[k] > b && b >= (1 - HELD_BUDGET_BAND) * held[k] && room.getOrDefault(t, 0.0) >= held[k] - b) {
                    b = held[k];
                } else if (held[k] < b) {
                    // each grown budget gives back the same part of its growth, rounded down to a tenth
                    b = Math.max(held[k], Math.floor((b - (b - held[k]) * giveBack / grown) * 10) / 10);
                }
                room.merge(t, budget[k] - b, Double::sum);
                kept.add(b);
            }
            out.put(s.id(), new Grant(g.targets(), List.copyOf(kept)));
        }
    }

    /** What the source's filter holds in all (0 for a target it was not sent). */
    private static double heldTotal(Source s) {
        double sum = 0;
        for (double b : s.heldBudgets()) {
            sum += Double.isNaN(b) ? 0 : b;
        }
        return sum;
    }

    /**
     * The rate at which a host's backlog is to be drained elsewhere ({@link #DRAIN_SECONDS}): 0 when unknown or none,
     * and 0 for a queue the host clears by itself within that time ({@code own rate + backlog / DRAIN_SECONDS} within
     * its capacity): a server within its capacity that queues on a busy machine (a stall, a GC) needs nothing from
     * its peers, and counting its queue opened their last 5-10% to it (session 9's `drain1`: shape 5's p99 worse in 3
     * of 4 rows).
     */
    static double drainRate(Capacity c, double backlog) {
        if (!(backlog > 0) || c == null || !(c.capacity() > 0) || Double.isNaN(c.ownRate())) {
            return 0;
        }
        double rate = backlog / DRAIN_SECONDS;
        return c.ownRate() + rate > c.capacity() ? rate : 0;
    }

    /** The most a source's budgets with no measured need may add up to: {@link #FLOOR_CAP_SHARE} of its capacity. */
    static double floorCap(Capacity c) {
        return Double.isNaN(c.capacity()) ? 1.0 : Math.max(MIN_BUDGET, FLOOR_CAP_SHARE * c.capacity());
    }

    /**
     * The targets in flat arrays, with the sum of the weights of the sources that listed each so far. Every source
     * looks at every target once (sources x targets: a million steps at a thousand hosts), so that step is plain
     * array arithmetic, with no map look-up, boxing or comparator object per pair.
     */
    private static final class Pool {
        private final String[] ids;
        private final int[] zones;       // index into the distinct zone names, for an equality test by number
        private final double[] spare;
        private final double[] claimed;
        private final double[] needed;   // the part of claimed that is measured need (excess + over budget)
        private final double[] drains;   // the part of claimed that is backlog to drain (DRAIN_SECONDS)
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> zoneIndex = new HashMap<>();
        private final boolean[] held;    // the current source's targets of the last cycle, marked during its pass
        private final int[][] byZone;    // target indices per zone index

        Pool(List<Target> targets) {
            int n = targets.size();
            ids = new String[n];
            zones = new int[n];
            spare = new double[n];
            claimed = new double[n];
            needed = new double[n];
            drains = new double[n];
            held = new boolean[n];
            for (int i = 0; i < n; i++) {
                Target t = targets.get(i);
                ids[i] = t.id();
                zones[i] = zoneIndex.computeIfAbsent(t.zone(), z -> zoneIndex.size());
                spare[i] = t.spare();
                index.putIfAbsent(t.id(), i);
            }
            int[] count = new int[zoneIndex.size()];
            for (int z : zones) {
                count[z]++;
            }
            byZone = new int[count.length][];
            for (int z = 0; z < count.length; z++) {
                byZone[z] = new int[count[z]];
            }
            int[] filled = new int[count.length];
            for (int i = 0; i < n; i++) {
                byZone[zones[i]][filled[zones[i]]++] = i;
            }
        }

        double spare(String id) {
            return spare[index.get(id)];
        }

        /**
         * One lister's budget from a target for its measured need: served before floors. When the listers' needs
         * exceed the spare, it is shared by need alone (a floor is a guess at a step nobody has seen yet); else each
         * gets its need.
         */
        double needBudget(String id, double need) {
            int i = index.get(id);
            if (needed[i] >= spare[i]) {
                return need > 0 ? spare[i] * need / needed[i] : 0;
            }
            return need;
        }

        /**
         * One lister's share by floor of what the target has left after every lister's need (none when the needs
         * take it all). With {@link #needBudget} the budgets add up to the spare, before the cap on floors
         * ({@link PermitPlanner#floorCap}) takes some of them back.
         */
        double floorBudget(String id, double weight, double need, double drain) {
            int i = index.get(id);
            double left = spare[i] - needed[i] - drains[i];
            if (left <= 0) {
                return 0;
            }
            double floors = claimed[i] - needed[i] - drains[i];
            double floor = weight - need - drain;
            return floors > 0 ? left * floor / floors : 0;
        }

        /**
         * One lister's budget from a target for draining its backlog: out of what the target has left after every
         * lister's need, shared in proportion to the backlogs when short of them, and before the floors.
         */
        double drainBudget(String id, double drain) {
            int i = index.get(id);
            double left = spare[i] - needed[i];
            if (!(drain > 0) || left <= 0) {
                return 0;
            }
            return drains[i] > left ? left * drain / drains[i] : drain;
        }

        /**
         * Adds ({@code sign} 1) or takes back (-1) the source's claims on the targets it held in the last cycle (those
         * still listed with spare, and not itself): every source's held targets are claimed before any chooses, and
         * each takes its own back just before it chooses, so that a target's claims when a source weighs it include
         * those of the sources still to choose that hold it. Without them a source that chose early saw its targets
         * unclaimed and a later one saw them full, and as the order (by weight) shifted with each second's noise,
         * most of a thousand sources swapped targets every cycle (session 16: ~970 sends a cycle for other
         * targets), which the held bonus could not stop.
         */
        void claimHeld(Source s, double w, double need, double drain, int sign) {
            int count = 0;
            for (String id : s.held()) {
                Integer i = index.get(id);
                if (i != null && spare[i] > 0 && !id.equals(s.id())) {
                    count++;
                }
            }
            for (String id : s.held()) {
                Integer i = index.get(id);
                if (i != null && spare[i] > 0 && !id.equals(s.id())) {
                    claimed[i] = Math.max(0, claimed[i] + sign * w);
                    needed[i] = Math.max(0, needed[i] + sign * need);
                    drains[i] = Math.max(0, drains[i] + sign * drain / count);
                }
            }
        }

        /**
         * The source's best {@code max} targets, best first: same zone first, then the largest share of its spare
         * the source would get ({@code spare × w / (w + claimed)}, times {@link #HELD_BONUS} for a target it holds),
         * then by id; one pass, keeping the best few in order. Each chosen target's claimed weight grows by {@code w}.
         */
        List<String> choose(Source s, double w, double need, double drain, int max) {
            mark(s.held(), true);
            try {
                return pick(s, w, need, drain, max);
            } finally {
                mark(s.held(), false);
            }
        }

        private void mark(List<String> ids, boolean value) {
            for (String id : ids) {
                Integer i = index.get(id);
                if (i != null) {
                    held[i] = value;
                }
            }
        }

        private List<String> pick(Source s, double w, double need, double drain, int max) {
            boolean zoned = s.zone() != null && !s.zone().isEmpty();
            Integer z = zoned ? zoneIndex.get(s.zone()) : null;
            int sameZone = z == null ? -1 : z;    // -1: no target is in the source's zone (or it has none)
            Best best = new Best(max);
            if (sameZone >= 0) {
                // the source's own zone first: once it fills the list, no target elsewhere can be better
                for (int i : byZone[sameZone]) {
                    consider(best, s, w, i, 0);
                }
            }
            if (best.size < max) {
                for (int i = 0; i < ids.length; i++) {
                    if (zones[i] != sameZone) {
                        consider(best, s, w, i, 1);
                    }
                }
            }
            List<String> chosen = new ArrayList<>(best.size);
            for (int k = 0; k < best.size; k++) {
                chosen.add(ids[best.index[k]]);
                claimed[best.index[k]] += w;
                needed[best.index[k]] += need;
                drains[best.index[k]] += drain / best.size;
            }
            return chosen;
        }

        private void consider(Best best, Source s, double w, int i, int zoneRank) {
            if (!(spare[i] > 0) || ids[i].equals(s.id())) {
                return;
            }
            double score = -spare[i] * w / (w + claimed[i]) * (held[i] ? HELD_BONUS : 1);
            int at = best.size;
            while (at > 0 && better(zoneRank, score, i, best.zone[at - 1], best.score[at - 1], best.index[at - 1])) {
                at--;
            }
            if (at < best.max) {
                best.insert(at, i, zoneRank, score);
            }
        }

        /** The best few targets so far, best first (one spare slot for the one that falls off the end). */
        private static final class Best {
            final int max;
            final int[] index;
            final int[] zone;
            final double[] score;
            int size;

            Best(int max) {
                this.max = max;
                index = new int[max + 1];
                zone = new int[max + 1];
                score = new double[max + 1];
            }

            void insert(int at, int i, int zoneRank, double s) {
                System.arraycopy(index, at, index, at + 1, size - at);
                System.arraycopy(zone, at, zone, at + 1, size - at);
                System.arraycopy(score, at, score, at + 1, size - at);
                index[at] = i;
                zone[at] = zoneRank;
                score[at] = s;
                size = Math.min(size + 1, max);
            }
        }

        private boolean better(int zoneRank, double score, int i, int otherZone, double otherScore, int other) {
            if (zoneRank != otherZone) {
                return zoneRank < otherZone;
            }
            int c = Double.compare(score, otherScore);
            return c != 0 ? c < 0 : ids[i].compareTo(ids[other]) < 0;
        }
    }
}
