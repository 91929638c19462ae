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
    /** Set once: resumed, or ended while queued. Whichever comes first wins. */
    private boolean settled;

    private QueuedRequest(AsyncContext async, AdmissionGate gate, InBandLoad.MovedHere movedIn) {
        this.async = async;
        this.gate = gate;
        this.movedIn = movedIn;
    }

    /**
     * Suspends {@code request} (which must support async) and hands it to the gate; resumes it at once if a slot freed
     * meanwhile. {@code movedIn} (or null) is the in-band load answer the filter gives when it serves the request.
     */
    public static void hold(ServletRequest request, ServletResponse response, AdmissionGate gate,
            InBandLoad.MovedHere movedIn) {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0); // no timeout: a slot frees as soon as a page ends; the container's own queue had none
        QueuedRequest q = new QueuedRequest(async, gate, movedIn);
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

    /** Dispatches the request back through the filter chain on a container worker; false if it already ended. */
    boolean resume() {
        synchronized (this) {
            if (settled) {
                return false;
            }
            settled = true;
        }
        try {
            async.dispatch();
            return true;
        } catch (IllegalStateException e) {
            return false; // completed or errored between the check and the dispatch
        }
    }

    private void ended() {
        synchronized (this) {
            if (settled) {
                return;
            }
            settled = true;
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
