package dev.spillway.manager;

import dev.spillway.agent.contract.HostLoad;
import dev.spillway.manager.policy.Metric;
import dev.spillway.manager.web.Flows;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last {@code capacity} samples per host (one per cycle) for the dashboard's plots: time, queue length,
 * queue delay, CPU, memory, stress; requests/s received, moved away and moved here from other hosts; waiting
 * requests, busy workers and the pool size; the budgets granted to the host in force (requests/s, 0 without a
 * permit). Unknown stays NaN (the plots leave a gap rather than draw a false zero).
 */
public final class History {
    public static final String[] SERIES = {"queueLength", "queueDelayMs", "cpu", "memory", "stress",
        "requestRate", "movedRate", "receivedRate", "waiting", "busyWorkers", "maxWorkers", "budget"};

    /** A ring of samples for one host. */
    public static final class Series {
        final long[] times;
        final double[][] values;
        int newest = -1;
        int count;

        Series(int capacity) {
            times = new long[capacity];
            values = new double[SERIES.length][capacity];
        }

        void add(long t, double... v) {
            newest = (newest + 1) % times.length;
            times[newest] = t;
            for (int i = 0; i < v.length; i++) {
                values[i][newest] = v[i];
            }
            count = Math.min(count + 1, times.length);
        }

        /** Oldest first. */
        public long[] times() {
            long[] out = new long[count];
            for (int i = 0; i < count; i++) {
                out[i] = times[index(i)];
            }
            return out;
        }

        public double[] values(int series) {
            double[] out = new double[count];
            for (int i = 0; i < count; i++) {
                out[i] = values[series][index(i)];
            }
            return out;
        }

        private int index(int i) {
            return Math.floorMod(newest - count + 1 + i, times.length);
        }
    }

    private final int capacity;
    private final Map<String, Series> byHost = new HashMap<>();

    public History(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void record(long now, List<HostView> views) {
        Map<String, Series> keep = new HashMap<>();
        Map<String, Double> received = Flows.movedHerePerSecond(views.stream().filter(v -> v.lastSeenMillis() == now)
                .toList());
        for (HostView v : views) {
            Series s = byHost.computeIfAbsent(v.id(), id -> new Series(capacity));
            HostLoad l = v.lastSeenMillis() == now ? v.load() : null;   // missed this cycle: a gap, not old figures
            boolean read = l != null;
            double budget = v.directive().budgets().stream().mapToDouble(Double::doubleValue).sum();
            s.add(now, read ? l.getQueueLength() : Double.NaN, read ? l.getQueueDelayMillis() : Double.NaN,
                    read ? Metric.cpu(l) : Double.NaN, read ? Metric.memory(l) : Double.NaN, v.stress(),
                    read ? l.getRequestRate() : Double.NaN, read ? l.getMovedRate() : Double.NaN,
                    read ? received.getOrDefault(v.id(), 0.0) : Double.NaN,
                    read ? l.getWaitingRequests() : Double.NaN, read && l.getBusyWorkers() >= 0 ? l.getBusyWorkers()
                            : Double.NaN, read && l.getMaxWorkers() > 0 ? l.getMaxWorkers() : Double.NaN, budget);
            keep.put(v.id(), s);
        }
        byHost.keySet().retainAll(keep.keySet());
    }

    /** A copy of one host's series, or null. */
    public synchronized Series copy(String id) {
        Series s = byHost.get(id);
        if (s == null) {
            return null;
        }
        Series c = new Series(capacity);
        long[] t = s.times();
        double[][] v = new double[SERIES.length][];
        for (int i = 0; i < SERIES.length; i++) {
            v[i] = s.values(i);
        }
        for (int k = 0; k < t.length; k++) {
            double[] row = new double[SERIES.length];
            for (int i = 0; i < SERIES.length; i++) {
                row[i] = v[i][k];
            }
            c.add(t[k], row);
        }
        return c;
    }
}
