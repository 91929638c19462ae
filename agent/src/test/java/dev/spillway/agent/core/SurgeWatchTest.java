package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.sampling.QueueFigures;
import org.junit.jupiter.api.Test;

class SurgeWatchTest {
    private static QueueFigures delay(double ms) {
        return new QueueFigures(1, ms);
    }

    private static SurgeWatch watching(double queueLength, double delayMs) {
        SurgeWatch w = new SurgeWatch();
        w.marks(new SurgeWatch.Marks(queueLength, delayMs));
        return w;
    }

    @Test
    void alertsOnceWhenAFigureRisesToItsMarkNotWhileItStaysThere() {
        SurgeWatch w = watching(100, 400);
        assertFalse(w.shouldAlert(delay(399), 0));
        assertTrue(w.shouldAlert(delay(400), 250), "reaching the mark alerts");
        assertFalse(w.shouldAlert(delay(900), 2_000), "still at the mark: no second alert");
        assertFalse(w.shouldAlert(delay(900), 5_000));
        assertEquals(1, w.alerts());
    }

    @Test
    void eitherFigureAlerts() {
        SurgeWatch w = watching(100, 400);
        assertTrue(w.shouldAlert(new QueueFigures(100, 5), 0), "queue length at its mark");
        assertFalse(w.shouldAlert(new QueueFigures(10, 5), 1_500));
        assertTrue(w.shouldAlert(new QueueFigures(10, 450), 3_000), "queue delay at its mark");
    }

    @Test
    void aFigureWobblingAroundTheMarkAlertsAtMostOncePerGap() {
        SurgeWatch w = watching(100, 400);
        assertTrue(w.shouldAlert(delay(416), 1_000));
        assertFalse(w.shouldAlert(delay(241), 1_250));
        assertFalse(w.shouldAlert(delay(491), 1_500), "a new edge within the gap is not a new alert");
        assertFalse(w.shouldAlert(delay(300), 2_250));
        assertTrue(w.shouldAlert(delay(500), 2_000 + SurgeWatch.MIN_GAP_MILLIS), "an edge after the gap is");
        assertEquals(2, w.alerts());
    }

    @Test
    void quickChecksAreArmedFromAQuarterOfAMark() {
        SurgeWatch w = watching(100, 400);
        assertFalse(w.arms(new QueueFigures(24, 99)), "a quiet host: no quick checks");
        assertTrue(w.arms(new QueueFigures(0, 100)));
        assertTrue(w.arms(new QueueFigures(25, Double.NaN)));
        assertFalse(new SurgeWatch().arms(new QueueFigures(1e6, 1e6)), "no marks: never armed");

        assertTrue(w.armed(), "marks just arrived: armed until figures say otherwise");
        w.shouldAlert(new QueueFigures(1, 5), 0);
        assertFalse(w.armed(), "quiet figures disarm");
        w.shouldAlert(new QueueFigures(1, 150), 100);
        assertTrue(w.armed());
        w.marks(SurgeWatch.Marks.OFF);
        assertFalse(w.armed(), "no marks: no quick checks");
    }

    @Test
    void noMarksOrUnknownFiguresNeverAlert() {
        SurgeWatch off = new SurgeWatch();
        assertFalse(off.enabled());
        assertFalse(off.shouldAlert(new QueueFigures(1e6, 1e6), 0));
        assertEquals("off", off.marks().toString());

        SurgeWatch delayOnly = watching(0, 400);
        assertTrue(delayOnly.enabled());
        assertFalse(delayOnly.shouldAlert(new QueueFigures(1e6, 5), 0), "a queue length mark of 0 is off");
        assertFalse(delayOnly.shouldAlert(QueueFigures.UNKNOWN, 5_000));
        assertEquals("queue delay 400 ms", delayOnly.marks().toString());
        assertEquals("queue length 100, queue delay 400 ms", new SurgeWatch.Marks(100, 400).toString());
    }
}
