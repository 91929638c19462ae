package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A regular sample right after another one, or after an alert began a window, would measure rates over a few arrivals. */
class SampleWindowTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void theFirstSampleIsAlwaysTaken() {
        assertTrue(new SampleWindow(1_000).regularSampleDue(Long.MIN_VALUE / 4));
    }

    @Test
    void aRegularSampleWithinHalfAnIntervalOfTheWindowsBeginningIsSkipped() {
        SampleWindow w = new SampleWindow(1_000);
        long began = -5_000 * MS; // System.nanoTime() may be negative
        w.began(began);
        assertFalse(w.regularSampleDue(began + 5 * MS), "5 ms after an alert began its window");
        assertFalse(w.regularSampleDue(began + 499 * MS));
        assertTrue(w.regularSampleDue(began + 500 * MS));
        assertTrue(w.regularSampleDue(began + 1_000 * MS), "the usual interval");
    }

    @Test
    void aLaterBeginningMovesTheDueTime() {
        SampleWindow w = new SampleWindow(1_000);
        w.began(0);
        assertTrue(w.regularSampleDue(900 * MS));
        w.began(900 * MS); // an alert's window, a moment before the regular tick
        assertFalse(w.regularSampleDue(1_000 * MS), "the tick 100 ms into the alert's window waits");
        assertTrue(w.regularSampleDue(1_400 * MS));
    }
}
