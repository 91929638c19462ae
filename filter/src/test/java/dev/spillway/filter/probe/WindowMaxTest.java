package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WindowMaxTest {
    private static final long WINDOW = TimeUnit.MILLISECONDS.toNanos(1000);
    private final FakeClock clock = new FakeClock();
    private final WindowMax max = new WindowMax(WINDOW, clock.getAsLong());

    private void record(long v) {
        max.record(v, clock.getAsLong());
    }

    private long read() {
        return max.max(clock.getAsLong());
    }

    @Test
    void emptyReadsNone() {
        assertEquals(WindowMax.NONE, read());
    }

    @Test
    void keepsTheLargestInTheWindow() {
        record(5);
        record(9);
        record(3);
        assertEquals(9, read());
    }

    @Test
    void forgetsSamplesOlderThanTheWindow() {
        record(9);
        clock.advanceMillis(600); // next half-window: 9 is now "previous", still within the window
        record(2);
        assertEquals(9, read());
        clock.advanceMillis(500); // 9 is more than a window old
        assertEquals(2, read());
        record(1);
        assertEquals(2, read());
        clock.advanceMillis(1000);
        assertEquals(WindowMax.NONE, read());
    }

    @Test
    void aLongGapClearsBothBuckets() {
        record(9);
        clock.advanceMillis(5000);
        record(1);
        assertEquals(1, read());
    }

    @Test
    void zeroIsARealSample() {
        record(0);
        assertEquals(0, read());
    }
}
