package dev.spillway.filter.gate;

import dev.spillway.filter.forward.InBandLoad;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * A request the {@link AdmissionGate} holds: suspended with {@code startAsync} (its worker went back to the pool), and
 * resumed with an ASYNC dispatch through the same filter chain when a slot passes to it. The request carries itself as
 * the attribute {@link #ATTRIBUTE} so that the filter knows the re-dispatch for a request already counted and decided,
 * and serves it without deciding again.
 */
public final class QueuedRequest implements AsyncListener {
    public static final String ATTRIBUTE = QueuedRequest.class.getName();

    private final AsyncContext async;
    private final AdmissionGate gate;
    private final InBandLoad.MovedHere movedIn;
    /** The path a move would target (eligibility was judged when it was held); null if it may not be moved. */
    private final String movablePath;
    /** Why it was held: decides what is still to count if it is moved from the gate later. */
    private final Held why;
    private final long heldAt;
    /** Set once: resumed, moved from the gate, or ended while queued. Whichever comes first wins. */
    private boolean settled;

    /**
     * Why a request was held, as the filter judged it once, at arrival. Only an eligible one may be moved from the
     * gate later; what the filter counted then is not counted again when it is (the agent reports the over-budget
     * rate as unmet need, and eligible/chosen as the requests that could have moved).
     */
    public enum Held {
        /** Not eligible to move (page rules, method, session, hop marker): served here, in order. */
        NOT_ELIGIBLE(false),
        /** Kept waiting as the valve keeps {@code spillWaiting} - 1 in the pool: nothing judged or counted yet. */
        KEPT(false),
        /** Eligible, and counted eligible, chosen and over budget: every target's budget was spent. */
        OVER_BUDGET(true),
        /** Eligible, no permit in force: counted over budget (unmet need), not eligible/chosen. */
        NO_PERMIT(false);

        private final boolean eligibleCounted;

        Held(boolean eligibleCounted) {
            this.eligibleCounted = eligibleCounted;
        }

        /** True if the filter counted it eligible and chosen when it held it. */
        public boolean eligibleCounted() {
            return eligibleCounted;
        }
    }

    private QueuedRequest(AsyncContext async, AdmissionGate gate, InBandLoad.MovedHere movedIn, String movablePath,
            Held why, long heldAt) {
        this.async = async;
        this.gate = gate;
        this.movedIn = movedIn;
        this.movablePath = movablePath;
        this.why = why;
        this.heldAt = heldAt;
    }

    /**
     * Suspends {@code request} (which must support async) and hands it to the gate; resumes it at once if a slot freed
     * meanwhile. {@code movedIn} (or null) is the in-band load answer the filter gives when it serves the request.
     */
    public static void hold(ServletRequest request, ServletResponse response, AdmissionGate gate,
            InBandLoad.MovedHere movedIn) {
        hold(request, response, gate, movedIn, null, Held.NOT_ELIGIBLE);
    }

    /**
     * As above, for a request that may be moved from the gate later ({@link AdmissionGate#moveOldest}) if
     * {@code movablePath} (its checked path) is not null; {@code why} says what the filter counted when it held it.
     */
    public static void hold(ServletRequest request, ServletResponse response, AdmissionGate gate,
            InBandLoad.MovedHere movedIn, String movablePath, Held why) {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0); // no timeout: a slot frees as soon as a page ends; the container's own queue had none
        QueuedRequest q = new QueuedRequest(async, gate, movedIn, movablePath, why, gate.now());
        request.setAttribute(ATTRIBUTE, q);
        async.addListener(q);
        if (gate.admitOrQueue(q) && !q.resume()) {
            gate.release(); // ended before it could be resumed: the slot goes on
        }
    }

    /** The in-band load answer given to {@link #hold}, or null. */
    public InBandLoad.MovedHere movedIn() {
        return movedIn;
    }

    /** The checked path a move targets, or null if this request may not be moved. */
    public String movablePath() {
        return movablePath;
    }

    /** Why it was held (what was counted then). */
    public Held why() {
        return why;
    }

    /** The held request, for the thread that moves it (it is suspended: nothing else touches it). */
    public ServletRequest request() {
        return async.getRequest();
    }

    /** Its response, for the thread that moves it. */
    public ServletResponse response() {
        return async.getResponse();
    }

    /** Ends a request moved from the gate, once its answer (a 307) is written. */
    public void complete() {
        async.complete();
    }

    /** Dispatches the request back through the filter chain on a container worker; false if it already ended. */
    boolean resume() {
        if (!claim()) {
            return false;
        }
        gate.heldFor(this, heldAt);
        try {
            async.dispatch();
            return true;
        } catch (IllegalStateException e) {
            return false; // completed or errored between the check and the dispatch
        }
    }

    /** Takes the request out of play for everyone else: true for exactly one of resume, move and end. */
    synchronized boolean claim() {
        if (settled) {
            return false;
        }
        settled = true;
        return true;
    }

    /** Puts back a request claimed for a move that the forwarder declined: it waits again (and may be resumed). */
    synchronized void unclaim() {
        settled = false;
    }

    long heldAt() {
        return heldAt;
    }

    private void ended() {
        if (!claim()) {
            return;
        }
        gate.forget(this);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        ended();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        ended();
    }

    @Override
    public void onError(AsyncEvent event) {
        ended();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // the page itself went async after the resume: nothing of ours left to watch
    }
}
