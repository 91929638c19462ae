package dev.spillway.bench.reaction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The figures of one reaction run, computed from what was recorded: the hot server's directive as its filter showed
 * it (sampled), and every request sent to it. Pure; times are milliseconds from the start of the baseline phase.
 *
 * <p>Definitions (also in BENCHMARKS.md):
 * <ul>
 *   <li><b>first move</b>: from the step to the moment the first moved request sent after the step was answered
 *       by a peer (an upper bound of when the filter moved it: it includes the peer's service time);</li>
 *   <li><b>first redirect</b>: from the step to the moment the client received the first 307 for a request sent
 *       after the step: when the filter moved it, give or take one loopback round trip (redirect mode only);</li>
 *   <li><b>first directive</b>: from the step to the first sample showing a non-LOCAL directive at the filter;</li>
 *   <li><b>steady fraction</b>: the first sample after the step from which the directive's fraction (LOCAL = 0)
 *       stays within ±{@code tolerance} of that sample's for {@code steadyWindow} ms;</li>
 *   <li><b>directive change</b>: two consecutive samples whose mode, target set or fraction (whole percent)
 *       differ; a renewed lease with the same content is not a change, nor are the same targets in another order
 *       (the filter takes them in turn);</li>
 *   <li><b>stop moving</b>: from the drop to the answer of the last moved request sent after the drop (0 when none
 *       was moved); <b>LOCAL</b>: from the drop to the sample from which the filter shows LOCAL to the end.</li>
 * </ul>
 */
public final class Analysis {
    /** The hot server's directive at one moment; {@code key} is null when the probe could not read it. */
    public record Sample(double tMillis, String mode, List<String> targets, double fraction, double queueDelayMillis,
            double queueLength) {
        public boolean local() {
            return "LOCAL".equals(mode);
        }

        /** The fraction the filter applies: 0 when LOCAL. */
        public double effectiveFraction() {
            return local() || Double.isNaN(fraction) ? 0 : fraction;
        }

        /** What a change is judged on: mode, targets and the fraction in whole percent. */
        public String key() {
            if (mode == null) {
                return null;
            }
            // the filter takes its targets in turn, so their order changes nothing: b,c and c,b are one target set
            return local() ? "LOCAL" : mode + " " + Math.round(fraction * 100) + "% "
                    + String.join(",", targets.stream().sorted().toList());
        }
    }

    /** One request sent to the hot server. */
    public record Request(double dueMillis, double doneMillis, boolean moved, boolean failed, boolean redirected,
            double firstAnswerMillis) {
        /** A request that was not redirected: its first answer is its last. */
        public Request(double dueMillis, double doneMillis, boolean moved, boolean failed) {
            this(dueMillis, doneMillis, moved, failed, false, doneMillis);
        }

        public double latencyMillis() {
            return doneMillis - dueMillis;
        }
    }

    /** A directive change: the sample where the new directive was first seen. */
    public record Change(double tMillis, String from, String to) {
    }

    /** The phase boundaries: baseline [0, step), overload [step, drop), after [drop, end). */
    public record Phases(double stepMillis, double dropMillis, double endMillis) {
    }

    /** The computed figures; NaN where a figure was not reached. Durations in seconds, latencies in ms. */
    public record Figures(double firstDirectiveS, double firstMoveS, double firstRedirectS, double steadyAtS,
            double steadyFraction,
            int changesDuringOverload, int changesInSteadyWindow, double steadyWindowS, double changesPer30s,
            int maxChangesIn30s, double movedShareSteady, double stopMovingS, double localAfterDropS,
            double[] p50, double[] p99, long[] requests, long[] failed, List<Change> changes) {
        static final String[] PHASES = {"baseline", "overload", "after"};
    }

    private Analysis() {
    }

    /**
     * @param settleMillis     the steady-state window of the change count starts this long after the step
     * @param steadyWindow     how long the fraction must hold for "steady fraction"
     * @param tolerance        how far it may wander meanwhile (fraction units, e.g. 0.05)
     */
    public static Figures analyse(List<Sample> samples, List<Request> requests, Phases p, double settleMillis,
            double steadyWindow, double tolerance) {
        List<Sample> known = samples.stream().filter(s -> s.key() != null).toList();

        double firstDirective = Double.NaN;
        for (Sample s : known) {
            if (s.tMillis() >= p.stepMillis() && !s.local()) {
                firstDirective = (s.tMillis() - p.stepMillis()) / 1000;
                break;
            }
        }
        double firstMove = Double.NaN;
        for (Request r : requests) {
            if (r.moved() && r.dueMillis() >= p.stepMillis() && r.dueMillis() < p.dropMillis()) {
                double t = (r.doneMillis() - p.stepMillis()) / 1000;
                firstMove = Double.isNaN(firstMove) ? t : Math.min(firstMove, t);
            }
        }
        double firstRedirect = Double.NaN;
        for (Request r : requests) {
            if (r.redirected() && r.dueMillis() >= p.stepMillis() && r.dueMillis() < p.dropMillis()) {
                double t = (r.firstAnswerMillis() - p.stepMillis()) / 1000;
                firstRedirect = Double.isNaN(firstRedirect) ? t : Math.min(firstRedirect, t);
            }
        }

        double steadyAt = Double.NaN;
        double steadyFraction = Double.NaN;
        for (int i = 0; i < known.size(); i++) {
            Sample s = known.get(i);
            if (s.tMillis() < p.stepMillis() || s.local()) {
                continue;
            }
            if (s.tMillis() + steadyWindow > p.dropMillis()) {
                break;
            }
            double f = s.effectiveFraction();
            boolean holds = true;
            double sum = 0;
            int n = 0;
            for (int j = i; j < known.size() && known.get(j).tMillis() <= s.tMillis() + steadyWindow; j++) {
                double g = known.get(j).effectiveFraction();
                if (Math.abs(g - f) > tolerance + 1e-9) {
                    holds = false;
                    break;
                }
                sum += g;
                n++;
            }
            if (holds) {
                steadyAt = (s.tMillis() - p.stepMillis()) / 1000;
                steadyFraction = sum / n;
                break;
            }
        }

        List<Change> changes = changes(known);
        int during = 0;
        double settleFrom = p.stepMillis() + settleMillis;
        List<Double> inSteady = new ArrayList<>();
        for (Change c : changes) {
            if (c.tMillis() >= p.stepMillis() && c.tMillis() < p.dropMillis()) {
                during++;
                if (c.tMillis() >= settleFrom) {
                    inSteady.add(c.tMillis());
                }
            }
        }
        double steadySpan = Math.max(0, p.dropMillis() - settleFrom);
        double per30 = steadySpan <= 0 ? Double.NaN : inSteady.size() / (steadySpan / 30_000);
        int max30 = 0;
        for (double from = settleFrom; from < p.dropMillis(); from += 30_000) {
            double start = from;
            int n = (int) inSteady.stream().filter(t -> t >= start && t < start + 30_000).count();
            max30 = Math.max(max30, n);
        }

        long steadyAll = 0;
        long steadyMoved = 0;
        for (Request r : requests) {
            if (r.dueMillis() >= settleFrom && r.dueMillis() < p.dropMillis()) {
                steadyAll++;
                steadyMoved += r.moved() ? 1 : 0;
            }
        }

        double stopMoving = 0;
        for (Request r : requests) {
            if (r.moved() && r.dueMillis() >= p.dropMillis()) {
                stopMoving = Math.max(stopMoving, (r.doneMillis() - p.dropMillis()) / 1000);
            }
        }
        // the trailing run of LOCAL samples; it may have begun before the drop (then 0)
        double localAt = Double.NaN;
        for (int i = known.size() - 1; i >= 0; i--) {
            Sample s = known.get(i);
            if (!s.local()) {
                break;
            }
            localAt = Math.max(0, (s.tMillis() - p.dropMillis()) / 1000);
        }
        if (known.isEmpty() || known.get(known.size() - 1).tMillis() < p.dropMillis()) {
            localAt = Double.NaN;   // nothing seen after the drop
        }

        double[] b = {0, p.stepMillis(), p.dropMillis(), p.endMillis()};
        double[] p50 = new double[3];
        double[] p99 = new double[3];
        long[] counts = new long[3];
        long[] failed = new long[3];
        for (int k = 0; k < 3; k++) {
            double lo = b[k];
            double hi = b[k + 1];
            List<Request> in = requests.stream().filter(r -> r.dueMillis() >= lo && r.dueMillis() < hi).toList();
            double[] lat = in.stream().mapToDouble(Request::latencyMillis).sorted().toArray();
            p50[k] = percentile(lat, 50);
            p99[k] = percentile(lat, 99);
            counts[k] = in.size();
            failed[k] = in.stream().filter(Request::failed).count();
        }
        return new Figures(firstDirective, firstMove, firstRedirect, steadyAt, steadyFraction, during, inSteady.size(),
                steadySpan / 1000, per30, max30, steadyAll == 0 ? Double.NaN : (double) steadyMoved / steadyAll,
                stopMoving, localAt, p50, p99, counts, failed, changes);
    }

    /** Every change of directive between consecutive readable samples. */
    public static List<Change> changes(List<Sample> samples) {
        List<Change> out = new ArrayList<>();
        String last = null;
        for (Sample s : samples) {
            String k = s.key();
            if (k == null) {
                continue;
            }
            if (last != null && !Objects.equals(last, k)) {
                out.add(new Change(s.tMillis(), last, k));
            }
            last = k;
        }
        return out;
    }

    /** Nearest-rank percentile of sorted values; NaN for none. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String join(double[] v, int decimals) {
        return String.join("/", Arrays.stream(v).mapToObj(x -> fmt(x, decimals)).toList());
    }
}
