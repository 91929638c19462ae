package dev.spillway.agent.testing;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.PeerStats;
import java.util.List;

/** A filter MXBean with figures the test sets; refuses targets outside {@link #peers}, like the real filter. */
public final class FakeFilter implements FilterMXBean {
    public volatile double queueAverage = Double.NaN;
    public volatile int queueMax = -1;
    public volatile String queueSource = "in-flight";
    public volatile long delay = -1;
    public volatile long delayMax = -1;
    public volatile int inFlight = -1;
    public volatile long requests = -1;
    /** -1: a filter that does not count its moved-in requests (older than the attribute). */
    public volatile long movedIn = -1;
    public volatile long errors = -1;
    public volatile String mode = "LOCAL";
    public volatile List<String> peers = List.of("b", "c");
    public volatile String lastTargets = "";
    public volatile java.util.Map<String, Long> declined = java.util.Map.of();

    @Override public String getContextPath() { return "/x"; }
    @Override public int getQueueLength() { return (int) queueAverage; }
    @Override public double getQueueLengthAverage() { return queueAverage; }
    @Override public int getQueueLengthMax() { return queueMax; }
    @Override public String getQueueSource() { return queueSource; }
    @Override public long getQueueDelayMillis() { return delay; }
    @Override public long getQueueDelayMaxMillis() { return delayMax; }
    @Override public String getQueueDelaySource() { return "none"; }
    @Override public int getInFlight() { return inFlight; }
    @Override public long getRequests() { return requests; }
    @Override public long getMovedInRequests() { return movedIn; }
    @Override public long getErrors() { return errors; }
    @Override public long getEligible() { return 0; }
    @Override public long getChosen() { return 0; }
    @Override public long getOffloaded() { return 0; }
    @Override public java.util.Map<String, Long> getDeclined() { return declined; }
    @Override public long getOffloadFailures() { return 0; }
    @Override public long getFellBack() { return 0; }
    @Override public String getDirectiveMode() { return mode; }
    @Override public String[] getDirectiveTargets() { return new String[0]; }
    @Override public double getDirectiveFraction() { return 0; }
    @Override public long getDirectiveLeaseRemainingMillis() { return 0; }
    @Override public String[] getPeers() { return peers.toArray(new String[0]); }
    @Override public PeerStats[] getPeerStats() { return new PeerStats[0]; }

    @Override
    public void applyDirective(String mode, String[] targets, double fraction, long leaseMillis) {
        for (String t : targets) {
            if (!peers.contains(t)) {
                throw new IllegalArgumentException("target " + t + " is not a configured peer");
            }
        }
        this.mode = mode;
        this.lastTargets = String.join(",", targets);
    }

    @Override
    public void clearDirective() {
        mode = "LOCAL";
        lastTargets = "";
    }
}
