package dev.spillway.filter.forward;

import dev.spillway.agent.contract.PeerStats;
import dev.spillway.filter.peers.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Per-peer forwarding counters (moved, failed, fell back, latency to the response head), shown as {@link PeerStats}. */
public final class PeerCounters {
    private static final class Row {
        final LongAdder moved = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder fellBack = new LongAdder();
        final LongAdder latencyNanos = new LongAdder();
        final LongAdder latencySamples = new LongAdder();
    }

    private final List<Peer> peers;
    private final Map<String, Row> rows = new ConcurrentHashMap<>();
    private final PeerHealth health;

    public PeerCounters(List<Peer> peers, PeerHealth health) {
        this.peers = List.copyOf(peers);
        this.health = health;
        for (Peer p : peers) {
            rows.put(p.id(), new Row());
        }
    }

    private Row row(Peer p) {
        return rows.computeIfAbsent(p.id(), k -> new Row());
    }

    public void moved(Peer p) {
        row(p).moved.increment();
    }

    public void failed(Peer p) {
        row(p).failed.increment();
    }

    public void fellBack(Peer p) {
        row(p).fellBack.increment();
    }

    public void latency(Peer p, long nanos) {
        Row r = row(p);
        r.latencyNanos.add(nanos);
        r.latencySamples.increment();
    }

    public long moved(String peerId) {
        Row r = rows.get(peerId);
        return r == null ? 0 : r.moved.sum();
    }

    public long failed(String peerId) {
        Row r = rows.get(peerId);
        return r == null ? 0 : r.failed.sum();
    }

    public long fellBack(String peerId) {
        Row r = rows.get(peerId);
        return r == null ? 0 : r.fellBack.sum();
    }

    /** One row per configured peer, in configuration order. */
    public List<PeerStats> snapshot() {
        List<PeerStats> out = new ArrayList<>(peers.size());
        for (Peer p : peers) {
            Row r = row(p);
            long n = r.latencySamples.sum();
            double mean = n == 0 ? Double.NaN : r.latencyNanos.sum() / 1e6 / n;
            out.add(new PeerStats(p.id(), r.moved.sum(), r.failed.sum(), r.fellBack.sum(), mean,
                    health.isSuspect(p)));
        }
        return out;
    }
}
