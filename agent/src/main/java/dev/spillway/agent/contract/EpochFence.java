package dev.spillway.agent.contract;

/**
 * Remembers the highest leader epoch accepted and refuses anything older, so a manager that lost the lead (paused,
 * partitioned, its session gone) can never overwrite what the new leader sent. Equal epochs pass: a leader renews
 * its own directives. Epoch 0 is what a manager running alone sends; once a fenced leader has spoken it is older
 * than every leader, so it is refused too. Counting the refusals makes a stale manager visible. Thread-safe: the
 * check and whatever the caller applies under {@link #admit} happen as one step.
 */
public final class EpochFence {
    private long highest = Directive.UNFENCED;
    private long refused;

    /**
     * Runs {@code apply} if {@code epoch} is not older than the highest seen, and raises the highest to it.
     * {@code apply} runs under the fence's lock, so two leaders' calls cannot interleave check and apply. The epoch
     * is taken before {@code apply} runs: even when applying fails (a filter unreachable, a target unknown), a leader
     * of that term exists and anything older must stay out.
     *
     * @return true if applied, false if refused as stale
     */
    public synchronized boolean admit(long epoch, Runnable apply) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch " + epoch + " is negative; expected 0 or more");
        }
        if (epoch < highest) {
            refused++;
            return false;
        }
        highest = epoch;
        apply.run();
        return true;
    }

    /** The highest epoch accepted so far (0 before any fenced directive). */
    public synchronized long highest() {
        return highest;
    }

    /** Directives, permits and clears refused because their epoch was older than {@link #highest()}. */
    public synchronized long refused() {
        return refused;
    }
}
