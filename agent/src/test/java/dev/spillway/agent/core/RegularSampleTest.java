package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A regular sample right after an alert's would measure rates over a window of a few arrivals: it is skipped. */
class RegularSampleTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void theFirstSampleIsAlwaysTaken() {
        assertTrue(SamplingLoop.regularSampleDue(0, 0, Long.MIN_VALUE / 4, 1_000));
    }

    @Test
    void aRegularSampleWithinHalfAnIntervalOfTheLastIsSkipped() {
        long last = -5_000 * MS; // System.nanoTime() may be negative
        assertFalse(SamplingLoop.regularSampleDue(7, last, last + 40 * MS, 1_000), "40 ms after an alert's sample");
        assertFalse(SamplingLoop.regularSampleDue(7, last, last + 499 * MS, 1_000));
        assertTrue(SamplingLoop.regularSampleDue(7, last, last + 500 * MS, 1_000));
        assertTrue(SamplingLoop.regularSampleDue(7, last, last + 1_000 * MS, 1_000), "the usual interval");
    }
}
