package dev.spillway.demo;

/**
 * The demo's manager failover ({@code --managers 2}): kills the leading manager (SIGKILL) and then, every 100 ms on a
 * thread of its own, reads the surviving managers' {@code GET /api/leader} and the hot server's filter MXBean, to
 * tell when a follower took over and when the hot server held a permit of the new leader (a higher
 * {@code DirectiveEpoch}), and how long it had none in between.
 */
final class Failover implements AutoCloseable {
    /** What the failover looked like; times in seconds from the kill, NaN when it was not seen. */
    record Report(String oldLeader, long oldEpoch, String newLeader, long newEpoch, double takeoverSeconds,
            double firstNewPermitSeconds, double withoutPermitSeconds) {
        boolean tookOver() {
            return !Double.isNaN(takeoverSeconds);
        }
    }

    private final Cluster cluster;
    private final FilterProbe hot;
    private final Thread sampler = new Thread(this::sample, "demo-failover");
    private volatile boolean running = true;
    private volatile String oldLeader;
    private volatile long oldEpoch;
    private volatile long killNanos;
    private volatile String newLeader;
    private volatile long newEpoch;
    private volatile long takeoverNanos = -1;
    private volatile long newPermitNanos = -1;
    private volatile long firstLocalNanos = -1;

    private Failover(Cluster cluster, FilterProbe hot) {
        this.cluster = cluster;
        this.hot = hot;
        sampler.setDaemon(true);
    }

    /** Kills the leader now and starts watching; null when no running manager leads (nothing killed). */
    static Failover killLeader(Cluster cluster, FilterProbe hot) throws InterruptedException {
        Failover f = new Failover(cluster, hot);
        String leader = cluster.activeDashboardUrl();
        String epoch = Cluster.jsonField(cluster.leaderJson(leader), "epoch");
        FilterProbe.Reading before = hot.read();
        f.oldEpoch = Math.max(epoch == null ? 0 : Long.parseLong(epoch), before == null ? 0 : before.directiveEpoch());
        f.oldLeader = cluster.killLeader();
        if (f.oldLeader == null) {
            return null;
        }
        f.killNanos = System.nanoTime();
        f.sampler.start();
        return f;
    }

    private void sample() {
        while (running && (takeoverNanos < 0 || newPermitNanos < 0)) {
            long now = System.nanoTime();
            if (takeoverNanos < 0) {
                for (String url : cluster.dashboardUrls()) {
                    String json = url.equals(oldLeader) ? "" : cluster.leaderJson(url);
                    if ("leader".equals(Cluster.jsonField(json, "mode"))) {
                        takeoverNanos = now;
                        newLeader = url;
                        newEpoch = Long.parseLong(Cluster.jsonField(json, "epoch"));
                    }
                }
            }
            FilterProbe.Reading r = hot.read();
            if (r != null && newPermitNanos < 0) {
                if ("LOCAL".equals(r.mode()) && firstLocalNanos < 0) {
                    firstLocalNanos = now;
                } else if (!"LOCAL".equals(r.mode()) && r.directiveEpoch() > oldEpoch) {
                    newPermitNanos = now;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    Report report() {
        return new Report(oldLeader, oldEpoch, newLeader, newEpoch, seconds(takeoverNanos), seconds(newPermitNanos),
                firstLocalNanos < 0 ? 0 : newPermitNanos < 0 ? Double.NaN : (newPermitNanos - firstLocalNanos) / 1e9);
    }

    private double seconds(long at) {
        return at < 0 ? Double.NaN : (at - killNanos) / 1e9;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.join(5_000);
    }
}
