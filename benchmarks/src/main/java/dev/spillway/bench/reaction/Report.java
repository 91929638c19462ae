package dev.spillway.bench.reaction;

import dev.spillway.bench.reaction.Analysis.Change;
import dev.spillway.bench.reaction.Analysis.Figures;
import dev.spillway.bench.reaction.Analysis.Phases;
import dev.spillway.bench.reaction.Analysis.Request;
import dev.spillway.bench.reaction.Analysis.Sample;
import dev.spillway.bench.reaction.ReactionBench.Options;
import dev.spillway.bench.reaction.ReactionBench.RowResult;
import dev.spillway.demo.FilterProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The reaction benchmark's files: per row CSVs, and the report (table and key=value) over all rows. */
final class Report {
    static final double GOAL_FIRST_MOVE_S = 2.0;
    static final double GOAL_CHANGES_PER_30S = 1.0;

    /** Every figure of the report, in order: key, words, how to read it from a row. */
    record Field(String key, String words, Function<RowResult, String> value) {
    }

    private Report() {
    }

    static List<Field> fields(Options o) {
        List<Field> f = new ArrayList<>();
        f.add(new Field("capacity.nominal", "a's capacity, nominal (req/s)", r -> fmt(o.capacity(), 1)));
        f.add(new Field("capacity.measured", "a's capacity, measured (req/s)", r -> fmt(r.measuredCapacity(), 1)));
        f.add(new Field("offered.low", "offered to a, low (req/s, x measured)",
                r -> fmt(o.low() * o.capacity(), 1) + " (" + fmt(o.low() * o.capacity() / r.measuredCapacity(), 2) + ")"));
        f.add(new Field("offered.high", "offered to a, high (req/s, x measured)",
                r -> fmt(o.high() * o.capacity(), 1) + " (" + fmt(o.high() * o.capacity() / r.measuredCapacity(), 2) + ")"));
        f.add(new Field("firstDirective.s", "step -> first directive at a's filter (s)",
                r -> fmt(r.figures().firstDirectiveS(), 2)));
        f.add(new Field("firstMove.s", "step -> first moved request answered (s) [goal <= 2]",
                r -> fmt(r.figures().firstMoveS(), 2)));
        f.add(new Field("firstRedirect.s", "step -> first 307 received (s; when the filter moved it) [issue 11 goal <= 0.1]",
                r -> fmt(r.figures().firstRedirectS(), 3)));
        f.add(new Field("steady.at.s", "step -> steady fraction (s; holds +-" + fmt(o.tolerance(), 2) + " for "
                + fmt(o.steadyWindowS(), 0) + " s)", r -> fmt(r.figures().steadyAtS(), 1)));
        f.add(new Field("steady.fraction", "steady fraction (mean over that window)",
                r -> fmt(r.figures().steadyFraction(), 2)));
        f.add(new Field("movedShare.steady", "share of a's requests moved, steady window",
                r -> fmt(r.figures().movedShareSteady(), 3)));
        f.add(new Field("changes.overload", "directive changes, whole overload (" + fmt(o.holdS(), 0) + " s)",
                r -> String.valueOf(r.figures().changesDuringOverload())));
        f.add(new Field("changes.steady", "directive changes, steady window (step+" + fmt(o.settleS(), 0)
                + " s .. drop)", r -> r.figures().changesInSteadyWindow() + " in " + fmt(r.figures().steadyWindowS(), 0)
                + " s"));
        f.add(new Field("changes.per30s", "changes per 30 s, steady window [goal <= 1]",
                r -> fmt(r.figures().changesPer30s(), 2)));
        f.add(new Field("changes.max30s", "most changes in one 30 s of the steady window",
                r -> String.valueOf(r.figures().maxChangesIn30s())));
        f.add(new Field("stopMoving.s", "drop -> last moved request answered (s)",
                r -> fmt(r.figures().stopMovingS(), 2)));
        f.add(new Field("local.s", "drop -> a's directive LOCAL for good (s)", r -> fmt(r.figures().localAfterDropS(), 2)));
        f.add(new Field("p50.ms", "a's p50 latency baseline/overload/after (ms)", r -> Analysis.join(r.figures().p50(), 0)));
        f.add(new Field("p99.ms", "a's p99 latency baseline/overload/after (ms)", r -> Analysis.join(r.figures().p99(), 0)));
        f.add(new Field("requests", "requests to a baseline/overload/after", r -> longs(r.figures().requests())));
        f.add(new Field("failed", "failed requests to a baseline/overload/after", r -> longs(r.figures().failed())));
        f.add(new Field("machine.load", "machine load average, row start -> end",
                r -> fmt(r.loadAverageStart(), 2) + " -> " + fmt(r.loadAverageEnd(), 2)));
        f.add(new Field("machine.cpu", "machine CPU, mean over the row (0..1)", r -> fmt(r.meanCpu(), 2)));
        f.add(new Field("goal.firstMove", "goal first move <= 2 s met",
                r -> yesNo(r.figures().firstMoveS() <= GOAL_FIRST_MOVE_S)));
        f.add(new Field("goal.changes", "goal <= 1 change per 30 s met",
                r -> yesNo(r.figures().changesPer30s() <= GOAL_CHANGES_PER_30S)));
        return f;
    }

    static void write(Options o, String argLine, List<RowResult> rows) throws IOException {
        Map<String, String> versions = ReactionBench.versions();
        String command = System.getProperty("bench.command",
                "java -cp benchmarks/target/spillway-benchmarks.jar " + ReactionBench.class.getName() + " " + argLine);
        StringBuilder sb = new StringBuilder();
        sb.append("Spillway scenario 4: reaction (").append(o.smoke() ? "SMOKE run: figures mean nothing" : "full run")
                .append(")\n");
        sb.append("date: ").append(ZonedDateTime.now()).append('\n');
        versions.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        sb.append("command: ").append(command).append('\n');
        sb.append(String.format(Locale.ROOT,
                "load: a gets /slow?ms=%d on %d worker threads (nominal capacity %.1f/s): %.2f x for %.0f s, %.2f x"
                        + " for %.0f s, %.2f x for %.0f s; b and c %.2f x throughout; open-loop, constant rate%n",
                o.serviceMillis(), o.threads(), o.capacity(), o.low(), o.baselineS(), o.high(), o.holdS(), o.low(),
                o.afterS(), o.peer()));
        for (RowResult r : rows) {
            sb.append("row ").append(r.row().label()).append(": manager ").append(String.join(" ", r.managerCommand()))
                    .append('\n');
        }
        sb.append('\n');
        List<Field> fields = fields(o);
        int w0 = fields.stream().mapToInt(f -> f.words().length()).max().orElse(10);
        List<Integer> widths = new ArrayList<>();
        for (RowResult r : rows) {
            int w = r.row().label().length();
            for (Field f : fields) {
                w = Math.max(w, f.value().apply(r).length());
            }
            widths.add(w);
        }
        sb.append(pad("figure", w0));
        for (int i = 0; i < rows.size(); i++) {
            sb.append(" | ").append(pad(rows.get(i).row().label(), widths.get(i)));
        }
        sb.append('\n').append("-".repeat(w0));
        for (int w : widths) {
            sb.append("-|-").append("-".repeat(w));
        }
        sb.append('\n');
        for (Field f : fields) {
            sb.append(pad(f.words(), w0));
            for (int i = 0; i < rows.size(); i++) {
                sb.append(" | ").append(pad(f.value().apply(rows.get(i)), widths.get(i)));
            }
            sb.append('\n');
        }
        sb.append('\n');
        for (RowResult r : rows) {
            sb.append("row ").append(r.row().label()).append(": ").append(timelineSummary(r)).append('\n');
        }
        sb.append("\nDefinitions: first move = answer of the first request sent to a after the step that a peer served"
                + " (includes the peer's service time); steady fraction = first moment after the step from which the"
                + " directive's fraction (LOCAL = 0) stays within the tolerance for the window; a change = mode,"
                + " target set (order aside) or fraction (whole percent) differ between consecutive 250 ms samples of a's filter"
                + " (lease renewals are not changes); steady window = from step + settle to the drop.\n");
        Files.writeString(o.out().resolve("report.txt"), sb.toString());

        StringBuilder props = new StringBuilder();
        props.append("smoke=").append(o.smoke()).append('\n');
        versions.forEach((k, v) -> props.append("run.").append(k).append('=').append(v).append('\n'));
        props.append("run.command=").append(command).append('\n');
        props.append("rows=").append(String.join(",", rows.stream().map(r -> r.row().label()).toList())).append('\n');
        for (RowResult r : rows) {
            String p = "row." + r.row().label() + ".";
            props.append(p).append("settings=").append(r.row().settings()).append('\n');
            props.append(p).append("manager.command=").append(String.join(" ", r.managerCommand())).append('\n');
            for (Field f : fields) {
                props.append(p).append(f.key()).append('=').append(f.value().apply(r)).append('\n');
            }
        }
        Files.writeString(o.out().resolve("report.properties"), props.toString());
    }

    /** The changes in words, e.g. "12 changes: 31.2 s LOCAL -> REDIRECT 20% b,c; ...". */
    static String timelineSummary(RowResult r) {
        List<Change> cs = r.figures().changes();
        StringBuilder sb = new StringBuilder(cs.size() + " directive changes:");
        int shown = 0;
        for (Change c : cs) {
            if (shown++ == 40) {
                sb.append(" ... (all in changes.csv)");
                break;
            }
            sb.append(String.format(Locale.ROOT, " %.1fs %s;", c.tMillis() / 1000, c.to()));
        }
        return sb.toString();
    }

    static String rowSummary(RowResult r) {
        Figures f = r.figures();
        return String.format(Locale.ROOT, "   capacity %.1f/s; first directive %s s, first move %s s, steady at %s s"
                        + " (%s), changes %d (%.2f per 30 s steady), stop moving %s s, LOCAL %s s",
                r.measuredCapacity(), fmt(f.firstDirectiveS(), 2), fmt(f.firstMoveS(), 2), fmt(f.steadyAtS(), 1),
                fmt(f.steadyFraction(), 2), f.changesDuringOverload(), f.changesPer30s(), fmt(f.stopMovingS(), 2),
                fmt(f.localAfterDropS(), 2));
    }

    /** One bin per second by due time: a's offered, local and moved rates, mean queue delay and fraction. */
    static List<TimelinePlot.Bin> bins(List<Sample> samples, List<Request> requests, Phases p) {
        int n = (int) Math.floor(p.endMillis() / 1000);   // whole seconds only: a last partial bin reads as a dip
        double[] offered = new double[n];
        double[] local = new double[n];
        double[] moved = new double[n];
        double[] delay = new double[n];
        double[] frac = new double[n];
        int[] count = new int[n];
        for (Request r : requests) {
            int i = (int) Math.floor(r.dueMillis() / 1000);
            if (i < 0 || i >= n) {
                continue;
            }
            offered[i]++;
            if (r.moved()) {
                moved[i]++;
            } else if (!r.failed()) {
                local[i]++;
            }
        }
        for (Sample s : samples) {
            int i = (int) Math.floor(s.tMillis() / 1000);
            if (i < 0 || i >= n || s.key() == null) {
                continue;
            }
            delay[i] += s.queueDelayMillis();
            frac[i] += s.effectiveFraction();
            count[i]++;
        }
        List<TimelinePlot.Bin> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new TimelinePlot.Bin(i, offered[i], local[i], moved[i],
                    count[i] == 0 ? Double.NaN : delay[i] / count[i], count[i] == 0 ? Double.NaN : frac[i] / count[i],
                    offered[i] == 0 ? Double.NaN : moved[i] / offered[i]));
        }
        return out;
    }

    static void writeRowFiles(Path dir, ReactionBench.Sampler sampler, List<Request> requests, Figures f,
            List<TimelinePlot.Bin> bins) throws IOException {
        StringBuilder t = new StringBuilder("second,offered_a,local_a,moved_a,moved_share,queue_delay_a_ms,fraction_a\n");
        for (TimelinePlot.Bin b : bins) {
            t.append(String.format(Locale.ROOT, "%d,%.0f,%.0f,%.0f,%s,%s,%s%n", (long) b.tSeconds(), b.offered(),
                    b.local(), b.moved(), fmt(b.movedShare(), 3), fmt(b.queueDelayMillis(), 1), fmt(b.fraction(), 2)));
        }
        Files.writeString(dir.resolve("timeline.csv"), t.toString());

        StringBuilder s = new StringBuilder("t_ms");
        List<ReactionBench.Sampler.Tick> ticks = sampler.ticks();
        List<String> ids = ticks.isEmpty() ? List.of() : List.copyOf(ticks.get(0).readings().keySet());
        for (String id : ids) {
            s.append(',').append(id).append("_queue_delay_ms,").append(id).append("_queue_length,").append(id)
                    .append("_offloaded,").append(id).append("_directive,").append(id).append("_targets");
        }
        s.append(",machine_cpu\n");
        for (ReactionBench.Sampler.Tick tk : ticks) {
            s.append(String.format(Locale.ROOT, "%.0f", tk.tMillis()));
            for (String id : ids) {
                FilterProbe.Reading r = tk.readings().get(id);
                if (r == null) {
                    s.append(",,,,,");
                } else {
                    s.append(String.format(Locale.ROOT, ",%.1f,%.1f,%d,%s,%s", r.queueDelayMillis(), r.queueLength(),
                            r.offloaded(), r.directive(), String.join(" ", r.targets())));
                }
            }
            s.append(String.format(Locale.ROOT, ",%.2f%n", tk.cpu()));
        }
        Files.writeString(dir.resolve("samples.csv"), s.toString());

        StringBuilder c = new StringBuilder("t_s,from,to\n");
        for (Change ch : f.changes()) {
            c.append(String.format(Locale.ROOT, "%.2f,%s,%s%n", ch.tMillis() / 1000, ch.from(), ch.to()));
        }
        Files.writeString(dir.resolve("changes.csv"), c.toString());
    }

    static Map<String, String> parse(String properties) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : properties.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static String longs(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (long x : v) {
            sb.append(sb.length() == 0 ? "" : "/").append(x);
        }
        return sb.toString();
    }

    static String fmt(double v, int decimals) {
        return Analysis.fmt(v, decimals);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
