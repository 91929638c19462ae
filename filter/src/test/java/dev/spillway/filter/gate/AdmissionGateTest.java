package dev.spillway.filter.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.filter.testing.StubRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate's slots and queue, with requests whose async context records what the gate does to them. */
class AdmissionGateTest {
    private final AtomicInteger maxWorkers = new AtomicInteger(3);
    private final AdmissionGate gate = new AdmissionGate(maxWorkers::get, () -> 0L);

    @Test
    void letsThePoolsMaximumLessOnePagesRun() {
        assertTrue(gate.tryEnter());
        assertTrue(gate.tryEnter());
        assertFalse(gate.tryEnter(), "the third would take the worker kept free for arrivals");
        assertEquals(2, gate.running());
        gate.release();
        assertTrue(gate.tryEnter());
    }

    @Test
    void aHeldRequestTakesTheNextFreedSlotAndNoArrivalGoesAheadOfIt() {
        fill();
        Suspended first = hold();
        Suspended second = hold();
        assertEquals(2, gate.queued());
        assertEquals(0, first.dispatches + second.dispatches, "held, not resumed");

        gate.release();
        assertEquals(1, first.dispatches, "the oldest is resumed with the freed slot");
        assertEquals(0, second.dispatches);
        assertFalse(gate.tryEnter(), "an arrival does not jump the queue");
        assertEquals(2, gate.running(), "the slot passed on, it was not freed");

        gate.release();
        assertEquals(1, second.dispatches);
        gate.release();
        gate.release();
        assertEquals(0, gate.running(), "each slot given back once");
        assertEquals(1, first.dispatches);
        assertEquals(1, second.dispatches);
    }

    @Test
    void aRequestThatEndedWhileHeldIsSkippedAndTheSlotGoesToTheNext() throws Exception {
        fill();
        Suspended gone = hold();
        Suspended next = hold();
        gone.end(); // the client went away: the container errors and completes it

        assertEquals(1, gate.queued());
        gate.release();
        assertEquals(0, gone.dispatches);
        assertEquals(1, next.dispatches);
    }

    @Test
    void aDispatchTheContainerRefusesPassesTheSlotOn() {
        fill();
        Suspended refused = hold();
        Suspended next = hold();
        refused.refuseDispatch = true; // completed between the queue and the dispatch

        gate.release();
        assertEquals(1, next.dispatches);
        assertEquals(2, gate.running());
    }

    @Test
    void aRequestHeldJustAsASlotFreedIsResumedAtOnce() {
        Suspended s = hold(); // the gate had room after all (tryEnter failed a moment before)
        assertEquals(1, s.dispatches);
        assertEquals(0, gate.queued());
        assertEquals(1, gate.running());
    }

    @Test
    void whileThePoolsSizeIsUnknownEverythingIsLetThrough() {
        maxWorkers.set(-1);
        AdmissionGate unknown = new AdmissionGate(maxWorkers::get, () -> 0L);
        for (int i = 0; i < 100; i++) {
            assertTrue(unknown.tryEnter());
        }
    }

    private void fill() {
        assertTrue(gate.tryEnter());
        assertTrue(gate.tryEnter());
        assertFalse(gate.tryEnter());
    }

    private Suspended hold() {
        Suspended s = new Suspended();
        StubRequest request = new StubRequest() {
            @Override
            public AsyncContext startAsync(ServletRequest req, ServletResponse res) {
                return s.context;
            }
        };
        QueuedRequest.hold(request, null, gate, null);
        assertSame(QueuedRequest.class, request.getAttribute(QueuedRequest.ATTRIBUTE).getClass());
        return s;
    }

    /** An async context that counts dispatches and lets the test end the request as the container would. */
    private static final class Suspended {
        int dispatches;
        boolean refuseDispatch;
        final List<AsyncListener> listeners = new ArrayList<>();
        final AsyncContext context = (AsyncContext) Proxy.newProxyInstance(AsyncContext.class.getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "dispatch" -> {
                            if (refuseDispatch) {
                                throw new IllegalStateException("completed");
                            }
                            dispatches++;
                        }
                        case "addListener" -> listeners.add((AsyncListener) args[0]);
                        default -> { }
                    }
                    return null;
                });

        void end() throws Exception {
            for (AsyncListener l : listeners) {
                l.onError(new AsyncEvent(context));
                l.onComplete(new AsyncEvent(context));
            }
        }
    }
}
