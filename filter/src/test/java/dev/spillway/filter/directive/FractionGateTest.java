package dev.spillway.filter.directive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FractionGateTest {

    private static int passes(FractionGate gate, int calls) {
        int n = 0;
        for (int i = 0; i < calls; i++) {
            if (gate.pass()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void thirtyPercentOfTenThousand() {
        double share = passes(new FractionGate(0.3), 10_000) / 10_000.0;
        assertEquals(0.3, share, 0.02);
    }

    @Test
    void everyPrefixIsWithinOneOfTheTarget() {
        FractionGate gate = new FractionGate(0.37);
        int passed = 0;
        for (int i = 1; i <= 5_000; i++) {
            if (gate.pass()) {
                passed++;
            }
            assertTrue(Math.abs(passed - i * 0.37) <= 1.0, "after " + i + " calls " + passed + " passed");
        }
    }

    @Test
    void noneAndAllAreExact() {
        assertEquals(0, passes(new FractionGate(0.0), 1_000));
        assertEquals(1_000, passes(new FractionGate(1.0), 1_000));
        assertThrows(IllegalArgumentException.class, () -> new FractionGate(1.01));
        assertThrows(IllegalArgumentException.class, () -> new FractionGate(Double.NaN));
    }

    @Test
    void concurrentCallersShareOneExactCount() throws InterruptedException {
        FractionGate gate = new FractionGate(0.25);
        AtomicInteger passed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> passed.addAndGet(passes(gate, 25_000))));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(25_000, passed.get());
    }
}
