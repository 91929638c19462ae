package dev.spillway.filter.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spillway.filter.testing.StubRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.lang.reflect.Proxy;
import dev.spillway.filter.OffloadDecider;
import dev.spillway.filter.jmx.FilterCounters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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

    @Test
    void heldRequestsThatMayMoveAreMovedOldestFirstWhenBudgetReturnsAndTheOthersNever() {
        fill();
        Suspended notEligible = hold(null, QueuedRequest.Held.NOT_ELIGIBLE);
        Suspended older = hold("/a", QueuedRequest.Held.KEPT);
        Suspended younger = hold("/b", QueuedRequest.Held.OVER_BUDGET);
        List<String> moved = new ArrayList<>();

        assertEquals(0, gate.moveOldest(1, () -> null, (t, q) -> moved.add(q.movablePath())), "no budget: all wait");
        assertEquals(3, gate.queued());

        Deque<String> budget = new ArrayDeque<>(List.of("peer"));
        assertEquals(1, gate.moveOldest(1, budget::poll, (t, q) -> moved.add(q.movablePath())));
        assertEquals(List.of("/a"), moved, "the oldest that may move goes first, one per request's worth of budget");
        assertEquals(2, gate.queued());

        assertEquals(1, gate.moveOldest(1, () -> "peer", (t, q) -> moved.add(q.movablePath())));
        assertEquals(List.of("/a", "/b"), moved, "budget without end: every one that may move goes, and no other");
        assertEquals(1, gate.queued());
        assertEquals(0, older.dispatches + younger.dispatches + older.completes + younger.completes,
                "moved ones are answered by the mover (here: nobody), never resumed");

        gate.release();
        assertEquals(1, notEligible.dispatches, "the one that may not move is served here when a page ends");
        assertEquals(2, gate.running(), "a moved request took no slot: the freed one passed to the held one");
    }

    @Test
    void keepsSpillWaitingLessOneHeldAsThePoolKeptThem() {
        fill();
        hold("/a", QueuedRequest.Held.KEPT);
        hold("/b", QueuedRequest.Held.KEPT);
        List<String> moved = new ArrayList<>();
        // spillWaiting=2 counts the arrival that asks: while one is held, the oldest goes; the arrival stays.
        assertEquals(2, gate.moveOldest(1, () -> "peer", (t, q) -> moved.add(q.movablePath())));
        assertEquals(List.of("/a", "/b"), moved);
        // spillWaiting=3: two may wait.
        hold("/c", QueuedRequest.Held.KEPT);
        hold("/d", QueuedRequest.Held.KEPT);
        hold("/e", QueuedRequest.Held.KEPT);
        assertEquals(2, gate.moveOldest(2, () -> "peer", (t, q) -> moved.add(q.movablePath())));
        assertEquals(List.of("/a", "/b", "/c", "/d"), moved);
        assertEquals(1, gate.queued());
    }

    @Test
    void aResumeThatComesFirstWinsAndTheMoveFindsNothing() {
        fill();
        Suspended s = hold("/a", QueuedRequest.Held.OVER_BUDGET);
        List<QueuedRequest> moved = new ArrayList<>();
        // The budget is taken, then, before the mover claims the request, a page ends and resumes it.
        int n = gate.moveOldest(1, () -> {
            gate.release();
            return "peer";
        }, (t, q) -> moved.add(q));
        assertEquals(0, n);
        assertTrue(moved.isEmpty(), "never moved once resumed");
        assertEquals(1, s.dispatches);
        assertEquals(2, gate.running(), "the slot passed to it");
    }

    @Test
    void aMoveThatComesFirstWinsAndTheResumeSkipsIt() {
        fill();
        Suspended s = hold("/a", QueuedRequest.Held.OVER_BUDGET);
        Suspended next = hold(null, QueuedRequest.Held.NOT_ELIGIBLE);
        List<QueuedRequest> moved = new ArrayList<>();
        // While the mover writes the 307, a page ends: its slot goes to the next held request, not to the moved one.
        gate.moveOldest(1, () -> "peer", (t, q) -> {
            gate.release();
            return moved.add(q);
        });
        assertEquals(1, moved.size());
        assertEquals(0, s.dispatches, "never resumed once moved");
        assertEquals(1, next.dispatches);
        gate.release();
        gate.release();
        assertEquals(0, gate.running(), "each slot given back once");
        assertEquals(0, gate.queued());
    }

    @Test
    void aMoveTheForwarderDeclinesLeavesTheRequestAtTheFrontToBeServedHere() {
        fill();
        Suspended s = hold("/a", QueuedRequest.Held.KEPT);
        hold(null, QueuedRequest.Held.NOT_ELIGIBLE);
        assertEquals(0, gate.moveOldest(1, () -> "peer", (t, q) -> false));
        assertEquals(2, gate.queued());
        gate.release();
        assertEquals(1, s.dispatches, "still the oldest");
    }

    @Test
    void aRequestThatEndedWhileHeldIsNeverMoved() throws Exception {
        fill();
        Suspended gone = hold("/a", QueuedRequest.Held.KEPT);
        gone.end();
        assertEquals(0, gate.moveOldest(1, () -> "peer", (t, q) -> fail("moved a request that ended")));
    }

    @Test
    void eachHeldRequestsTimeInTheGateIsReportedWhenItLeavesIt() {
        long[] now = {0};
        AdmissionGate timed = new AdmissionGate(maxWorkers::get, () -> now[0]);
        List<Long> held = new ArrayList<>();
        timed.reportHeldTime(held::add);
        assertTrue(timed.tryEnter());
        assertTrue(timed.tryEnter());
        hold(timed, "/a", QueuedRequest.Held.KEPT);
        now[0] += 30_000_000;
        hold(timed, "/b", QueuedRequest.Held.KEPT);
        now[0] += 40_000_000;
        timed.release(); // /a resumed after 70 ms
        now[0] += 5_000_000;
        timed.moveOldest(1, () -> "peer", (t, q) -> true); // /b moved after 45 ms
        assertEquals(List.of(70_000_000L, 45_000_000L), held);
    }

    @Test
    void aRequestMovedFromTheGateCountsWhatItsHoldDidNotCount() {
        FilterCounters counters = new FilterCounters();
        OffloadDecider decider = new OffloadDecider(null, counters, p -> true);
        // Held over budget: counted eligible, chosen and over budget then (OffloadDecider#spill); moved later.
        counters.countEligible();
        counters.countChosen();
        counters.countOverBudget();
        decider.movedFromGate(QueuedRequest.Held.OVER_BUDGET.eligibleCounted());
        assertEquals(1, counters.eligible(), "not counted eligible twice");
        assertEquals(1, counters.overBudget(), "over budget once: the manager reads it as unmet need");
        assertEquals(1, counters.spilled());
        // Held as the one kept waiting: nothing counted then, so eligible once now.
        decider.movedFromGate(QueuedRequest.Held.KEPT.eligibleCounted());
        assertEquals(2, counters.eligible());
        assertEquals(1, counters.overBudget());
        assertEquals(2, counters.spilled());
        assertFalse(QueuedRequest.Held.NO_PERMIT.eligibleCounted(), "no permit counts over budget only");
    }

    private void fill() {
        assertTrue(gate.tryEnter());
        assertTrue(gate.tryEnter());
        assertFalse(gate.tryEnter());
    }

    private Suspended hold() {
        return hold(gate, null, QueuedRequest.Held.NOT_ELIGIBLE);
    }

    private Suspended hold(String movablePath, QueuedRequest.Held why) {
        return hold(gate, movablePath, why);
    }

    private Suspended hold(AdmissionGate into, String movablePath, QueuedRequest.Held why) {
        Suspended s = new Suspended();
        StubRequest request = new StubRequest() {
            @Override
            public AsyncContext startAsync(ServletRequest req, ServletResponse res) {
                return s.context;
            }
        };
        QueuedRequest.hold(request, null, into, null, movablePath, why);
        assertSame(QueuedRequest.class, request.getAttribute(QueuedRequest.ATTRIBUTE).getClass());
        return s;
    }

    /** An async context that counts dispatches and lets the test end the request as the container would. */
    private static final class Suspended {
        int dispatches;
        int completes;
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
                        case "complete" -> completes++;
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
