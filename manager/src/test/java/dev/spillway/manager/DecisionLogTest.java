package dev.spillway.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.testkit.Await;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The decision log's handlers run off the caller's (the cycle's) thread, in order, and close() writes the rest. */
class DecisionLogTest {
    private static final Logger LOG = Logger.getLogger("dev.spillway.manager");

    /** Collects what reaches the log; blocks every record while {@code gate} is closed. */
    private static final class Held extends Handler {
        final CountDownLatch gate;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Held(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public void publish(LogRecord r) {
            if (!"dev.spillway.manager.decision".equals(r.getSourceClassName())) {
                return;
            }
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.add(r.getSourceMethodName() + ": " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aSlowLogDoesNotHoldTheCallerAndLinesComeInOrder() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Held held = new Held(gate);
        LOG.addHandler(held);
        DecisionLog log = new DecisionLog(10);
        try {
            Thread cycle = new Thread(() -> {
                log.add(1, "a", "a may spill to b (5 req/s)");
                log.add(2, "b", "b is overloaded");
                log.add(3, "c", "c may spill to a (7 req/s)");
            }, "test-cycle");
            cycle.start();
            // with the handler called on the caller's thread, the first add would wait for the gate: never returns
            Await.until("the three adds return while the log's handler is held", () -> !cycle.isAlive());
            assertEquals(List.of("a", "b", "c"), log.entries().stream().map(DecisionLog.Entry::hostId).toList(),
                    "entries are kept at once");
            gate.countDown();
            Await.until("the three lines reach the log", () -> held.lines.size() == 3);
            assertEquals(List.of("a: a may spill to b (5 req/s)", "b: b is overloaded", "c: c may spill to a (7 req/s)"),
                    held.lines);
        } finally {
            gate.countDown();
            log.close();
            LOG.removeHandler(held);
        }
    }

    @Test
    void closeWritesEveryQueuedLineBeforeItReturns() {
        CountDownLatch open = new CountDownLatch(0);
        Held held = new Held(open);
        LOG.addHandler(held);
        try {
            DecisionLog log = new DecisionLog(5);
            for (int i = 0; i < 500; i++) {
                log.add(i, "h" + i, "line " + i);
            }
            log.close();
            assertEquals(500, held.lines.size(), "every line added before close() is written when it returns");
            assertEquals("h499: line 499", held.lines.get(499));
            log.add(501, "late", "after close");
            assertEquals("late: after close", held.lines.get(500), "a line after close() is written at once");
            assertEquals(5, log.entries().size());
        } finally {
            LOG.removeHandler(held);
        }
    }
}
