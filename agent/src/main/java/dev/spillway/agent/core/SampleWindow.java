package dev.spillway.agent.core;

import java.util.concurrent.TimeUnit;

/**
 * When the current sample window began, and whether a regular sample may end it now. A sample's rates cover the time
 * since the window began, and a window of a few tens of milliseconds holds a few arrivals: a request rate that is
 * noise, which the manager would plan from (a hot host read as idle for a cycle). So a regular sample is skipped
 * until the window is half an interval old — whether the window began with a published sample or with an alert's
 * unpublished one ({@code SamplingLoop}'s over-budget alert starts a short window of its own).
 * Used on the sampler thread only.
 */
final class SampleWindow {
    private final long halfIntervalNanos;
    private long beganAt;
    private boolean begun;

    SampleWindow(long intervalMillis) {
        this.halfIntervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis) / 2;
    }

    /** A sample was taken at {@code nowNanos} (published or not): the next window begins. */
    void began(long nowNanos) {
        beganAt = nowNanos;
        begun = true;
    }

    /** The first sample always; later ones once the window is half an interval old. */
    boolean regularSampleDue(long nowNanos) {
        return !begun || nowNanos - beganAt >= halfIntervalNanos;
    }
}
