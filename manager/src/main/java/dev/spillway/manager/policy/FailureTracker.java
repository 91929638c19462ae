package dev.spillway.manager.policy;

/**
 * Failure of one host: an unreachable agent makes it {@code unknown} at the first missed poll and {@code failed}
 * after {@code failAfter} consecutive misses; a health or application-health check that reports down for
 * {@code failAfter} consecutive samples makes it failed too. One good, healthy sample clears both.
 */
public final class FailureTracker {
    private final int failAfter;
    private int misses;
    private int downSamples;
    private String reason = "";

    public FailureTracker(int failAfter) {
        if (failAfter < 1) {
            throw new IllegalArgumentException("failAfter must be >= 1");
        }
        this.failAfter = failAfter;
    }

    public void missed(String why) {
        misses++;
        reason = "agent unreachable for " + misses + (misses == 1 ? " poll" : " polls") + " (" + why + ")";
    }

    public void polled(boolean healthUp, boolean appHealthUp) {
        misses = 0;
        if (healthUp && appHealthUp) {
            downSamples = 0;
            reason = "";
        } else {
            downSamples++;
            reason = (healthUp ? "application health" : "health") + " check down for " + downSamples
                    + (downSamples == 1 ? " sample" : " samples");
        }
    }

    /** FAILED, UNKNOWN, or null when neither applies. */
    public HostState state() {
        if (misses >= failAfter || downSamples >= failAfter) {
            return HostState.FAILED;
        }
        if (misses > 0) {
            return HostState.UNKNOWN;
        }
        return null;
    }

    public int misses() {
        return misses;
    }

    public String reason() {
        return reason;
    }
}
