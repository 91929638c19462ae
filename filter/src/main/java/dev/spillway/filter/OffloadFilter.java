package dev.spillway.filter;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.agent.contract.PeerStats;
import dev.spillway.filter.cache.LocalAnswerLoader;
import dev.spillway.filter.cache.PageCache;
import dev.spillway.filter.directive.ActiveDirective;
import dev.spillway.filter.directive.DirectiveSlot;
import dev.spillway.filter.forward.ForwardResult;
import dev.spillway.filter.forward.ForwardSettings;
import dev.spillway.filter.forward.Forwarding;
import dev.spillway.filter.forward.InBandLoad;
import dev.spillway.filter.forward.LocalLoad;
import dev.spillway.filter.gate.AdmissionGate;
import dev.spillway.filter.gate.QueuedRequest;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.jmx.FilterCounters;
import dev.spillway.filter.jmx.FilterStatus;
import dev.spillway.filter.jmx.MBeanRegistration;
import dev.spillway.filter.peers.Peer;
import dev.spillway.filter.probe.LoadProbe;
import dev.spillway.filter.probe.SpillValve;
import dev.spillway.filter.spi.LocalAnswer;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;
import javax.management.JMException;

/**
 * The Spillway filter: register it in {@code web.xml} and it decides, per request, whether to serve it here or move it
 * to a peer, as the current directive or permit says. Per request: load bookkeeping → (only while a directive moves
 * requests) eligibility → fraction → target → move; (only while a permit is in force and this server's pool is
 * backed up) eligibility → the target with the most budget left → move; otherwise serve here. Everything it knows and the directive operations are on its
 * MXBean, {@code dev.spillway:type=Filter,context=<ctx>}.
 *
 * <p>Nothing on the request path depends on the control plane being up: with no directive, an ended lease, or no
 * reachable peer, the request is served here.
 */
public class OffloadFilter implements Filter {
    private static final Logger LOG = Logger.getLogger(OffloadFilter.class.getName());

    /**
     * True on a thread while it is inside {@link #doFilter} for a request's REQUEST dispatch: when web.xml maps the
     * filter twice over one path, the second pass runs inside the first's {@code chain.doFilter}, on the same thread,
     * and passes the request on. A per-thread flag (one array per container thread, allocated once) rather than a
     * request attribute, whose entry in the container's attribute map cost an allocation on every request.
     */
    private static final ThreadLocal<boolean[]> DECIDING = ThreadLocal.withInitial(() -> new boolean[1]);

    private LoadProbe probe;
    private FilterCounters counters;
    private DirectiveSlot directive;
    private OffloadDecider decider;
    private Forwarding forwarding;
    private AutoCloseable agent;
    private LocalAnswer localAnswer;
    /** Null unless pageCacheKb is set: then a GET it holds is answered from memory before anything else. */
    private PageCache pageCache;
    private MBeanRegistration registration;
    private SpillValve valve;
    /** Null unless admissionGate=on: then pages run here are limited so that arrivals never queue for a worker. */
    private AdmissionGate gate;

    /** Containers create filters with this constructor; all configuration comes from {@link #init}. */
    public OffloadFilter() {
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        String where = "Spillway filter '" + config.getFilterName() + "' in context '"
                + config.getServletContext().getContextPath() + "'";
        FilterSettings settings;
        ForwardSettings forwardSettings;
        ConfigValues values;
        LocalAnswer answer;
        try {
            values = FilterConfigReader.read(config);
            settings = FilterSettings.from(values, knownKeys());
            forwardSettings = ForwardSettings.from(values, settings.trustedProxies());
            answer = LocalAnswerLoader.load(FilterSettings.LOCAL_ANSWER, settings.localAnswerClass(),
                    config.getServletContext().getClassLoader());
        } catch (ConfigException e) {
            throw new ServletException(where + ": " + e.getMessage(), e);
        }
        String contextPath = config.getServletContext().getContextPath();
        HopMarker hopMarker = new HopMarker(settings.hopSecret(), settings.hopTtlMillis(), System::currentTimeMillis);
        probe = LoadProbe.create(config.getServletContext(), settings.trustedProxies(), settings.loadWindowMillis());
        valve = new SpillValve(probe, settings.spillWaiting(), settings.spillReserve());
        gate = settings.admissionGate() ? new AdmissionGate(probe::maxWorkers, System::nanoTime) : null;
        counters = new FilterCounters();
        directive = new DirectiveSlot(settings.peers(), System::nanoTime);
        Eligibility eligibility = new Eligibility(settings.methods(), settings.pageRules(),
                settings.keepSessionsLocal(), hopMarker, settings.thisHost(), answer);
        localAnswer = answer;
        pageCache = settings.pageCacheKb() == 0 ? null
                : new PageCache(settings.pageCacheKb() * 1024L, System::nanoTime);
        Forwarding fw = Forwarding.create(forwardSettings, hopMarker, settings.peers(), settings.thisHost(),
                new LocalLoad(probe::waiting, probe::busyWorkers, probe::maxWorkers, probe::cpuFull));
        forwarding = fw;
        // A peer that just failed is skipped until its back-off ends: a dead peer costs one connect timeout. One that
        // answered a proxied request saying it is full is skipped until it says otherwise (or briefly).
        decider = new OffloadDecider(eligibility, counters, fw::isAvailable);
        FilterStatus status = new FilterStatus(contextPath, probe, counters, directive, settings.peers(),
                () -> fw.stats().toArray(PeerStats[]::new), System::nanoTime, fw.inBand().origins()::describe);
        if (gate != null) {
            status.countHeldInFilter(gate::queued);
            gate.reportHeldTime(probe::recordHeld); // the time held in the gate is queue delay too
        }
        try {
            registration = MBeanRegistration.register(status, contextPath);
        } catch (JMException e) {
            throw new ServletException(where + ": cannot register its MXBean: " + e.getMessage(), e);
        }
        try {
            agent = AgentConfig.join(values, contextPath); // after the MXBean, so the agent finds this filter
        } catch (ConfigException e) {
            destroy();
            throw new ServletException(where + ": " + e.getMessage(), e);
        }
        LOG.info(() -> where + " ready: " + settings.peers().size() + " peers, MXBean " + registration.name());
    }

    /** The settings keys this filter accepts; anything else in web.xml or the file is reported as a typo. */
    static Set<String> knownKeys() {
        Set<String> keys = new HashSet<>(FilterSettings.KEYS);
        keys.addAll(ForwardSettings.KEYS);
        keys.addAll(AgentConfig.keys());
        return keys;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            chain.doFilter(req, res);
            return;
        }
        if (gate != null && req.getDispatcherType() == DispatcherType.ASYNC
                && req.getAttribute(QueuedRequest.ATTRIBUTE) instanceof QueuedRequest held) {
            // A request the gate held, resumed with a slot: counted and decided at arrival, served now.
            req.removeAttribute(QueuedRequest.ATTRIBUTE);
            serveResumed(held, (HttpServletRequest) req, (HttpServletResponse) res, chain);
            return;
        }
        boolean[] deciding = DECIDING.get();
        if (req.getDispatcherType() != DispatcherType.REQUEST || deciding[0]) {
            // Forwards, includes, error pages and async re-dispatches (among them the proxy's "serve it here
            // after all", Forwarding.isFallbackDispatch) belong to a request already counted and decided; so does
            // a second pass when web.xml maps the filter twice over one path.
            chain.doFilter(req, res);
            return;
        }
        deciding[0] = true;
        try {
            decide((HttpServletRequest) req, (HttpServletResponse) res, chain);
        } finally {
            deciding[0] = false;
        }
    }

    /** Counts the request, then serves it here or moves it, and settles its load bookkeeping. */
    private void decide(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long entered = probe.enter(request);
        counters.countRequest();
        // A moved request's origin load in, our spare capacity out.
        InBandLoad.MovedHere movedIn = forwarding.inBand().arrived(request, response);
        if (movedIn != null) {
            counters.countMovedIn(); // the target's own count of its moved-in load, in its request count's window
        }
        boolean finished = false;
        boolean servedHere = false;
        try {
            if (pageCache != null && pageCache.serve(request, response, counters::countPageCacheHit)) {
                servedHere = true; // a cache hit is served here, whatever the directive: never moved
            } else if (gate == null || !request.isAsyncSupported()) {
                servedHere = movedOrServed(request, response, chain, entered, movedIn);
            } else if (gate.tryEnter()) {
                try {
                    servedHere = movedOrServed(request, response, chain, entered, movedIn);
                } finally {
                    gate.release(); // this worker is back: the slot passes to the oldest held request, if any
                }
            } else {
                // Every slot is taken. First the requests held here that may move go, oldest first, while a target
                // has budget and spillWaiting - 1 of them wait (moveHeld); then this one is moved at arrival if the
                // valve would have moved it from the pool's queue (spillWaiting - 1 still wait here), else held here
                // and served in order (serveResumed), or moved later by an arrival that finds budget.
                ActiveDirective d = directive.offloading(entered);
                moveHeld(d, entered);
                // Not the pool's valve here: with the gate on the pool's queue holds only the container's own jobs
                // (Jetty queues the completion of a request moved from the gate above, while this arrival holds the
                // free worker), which would read as requests waiting and move this one too.
                // (A fraction directive still decides every request, as without the gate.)
                boolean full = gate.queued() >= valve.spillWaiting() - 1;
                boolean kept = !full && (d == null || d.isPermit());
                if (kept || !moved(request, response, chain, entered, d, full)) {
                    hold(request, response, d, full, movedIn);
                }
            }
            finished = true;
        } finally {
            settle(request, response, finished, servedHere ? entered : NOT_SERVED_HERE);
        }
    }

    /**
     * Moves requests held in the gate, oldest first, while a target has budget (redirect permits only). Driven by
     * arrivals that find the gate full, not by a timer: a server with a backlog in its gate is one whose arrivals
     * come faster than its pages end, so the next one comes within a few ms, and a budget frees (a bucket refills)
     * no faster than arrivals come. The oldest go first because the tail is theirs; the arrival that found the gate
     * full then takes its turn at the back. A held request moved here gets its 307 from this thread and is completed;
     * it never takes a slot. What was counted when it was held is not counted again (OffloadDecider#movedFromGate).
     * Proxy permits leave held requests to be served here: a proxied exchange would start from this arrival's
     * worker on another request's async context, which the proxy forwarder does not do.
     */
    private void moveHeld(ActiveDirective d, long now) {
        if (d == null || !d.isPermit() || d.mode() != OffloadMode.REDIRECT) {
            return;
        }
        gate.moveOldest(valve.spillWaiting() - 1, () -> decider.budgetForHeld(d, now), this::moveFromGate);
    }

    private boolean moveFromGate(Peer target, QueuedRequest held) {
        decider.movedFromGate(held.why().eligibleCounted());
        ForwardResult result;
        try {
            result = forwarding.redirect().forward((HttpServletRequest) held.request(),
                    (HttpServletResponse) held.response(), null, target, held.movablePath());
        } catch (IOException | ServletException e) {
            return false; // a redirect writes headers only; should it fail, the request waits again to be served here
        }
        if (!result.taken()) {
            counters.declined(result);
            return false;
        }
        held.complete();
        return true;
    }

    /**
     * Holds the request in the gate, judging once whether it may be moved later and remembering what was counted:
     * not eligible; kept (spillWaiting - 1 wait, nothing judged yet); over budget (the permit's budgets were spent:
     * counted eligible, chosen, over budget); no permit (counted over budget). Under a fraction directive a held
     * request is not moved later (it was one the fraction did not choose).
     */
    private void hold(HttpServletRequest request, HttpServletResponse response, ActiveDirective d, boolean full,
            InBandLoad.MovedHere movedIn) {
        String path = Eligibility.checkedPath(request);
        boolean movable = (d == null || d.isPermit()) && decider.isEligible(request, path);
        QueuedRequest.Held why;
        if (!movable) {
            why = QueuedRequest.Held.NOT_ELIGIBLE;
        } else if (!full) {
            why = QueuedRequest.Held.KEPT;
        } else {
            why = d == null ? QueuedRequest.Held.NO_PERMIT : QueuedRequest.Held.OVER_BUDGET;
        }
        QueuedRequest.hold(request, response, gate, movedIn, movable ? path : null, why);
    }

    /** Moves the request or serves it here; true if served here. */
    private boolean movedOrServed(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            long entered, InBandLoad.MovedHere movedIn) throws IOException, ServletException {
        if (moved(request, response, chain, entered, false)) {
            return false;
        }
        serveHere(request, response, chain, movedIn != null);
        if (movedIn != null) {
            movedIn.answer(response); // our room as the answer leaves, not as the request came in
        }
        return true;
    }

    /**
     * Serves a request the gate held, now that a slot passed to it, and gives the slot back when its worker does. Its
     * service time runs from here: the time it was held is queueing, which the manager's capacity must not count.
     */
    private void serveResumed(QueuedRequest held, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws IOException, ServletException {
        long start = probe.now();
        try {
            serveHere(request, response, chain, held.movedIn() != null);
            if (held.movedIn() != null) {
                held.movedIn().answer(response);
            }
        } finally {
            counters.servedHere(probe.now() - start);
            gate.release();
        }
    }

    /**
     * Serves the request here, through the page cache when it is on (a cacheable answer is kept for the next asker).
     * One moved here from a peer has its CPU timed (on a CPU-capped server only), so that this server's CPU signal
     * counts only its own requests: load a peer gave us never makes us move ours.
     */
    private void serveHere(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            boolean movedIn) throws IOException, ServletException {
        long cpuAtStart = movedIn ? probe.movedInStarts() : LoadProbe.NOT_TIMED;
        try {
            if (pageCache == null) {
                chain.doFilter(request, response);
                return;
            }
            HttpServletResponse passedDown = pageCache.capture(request, response);
            chain.doFilter(request, passedDown);
            pageCache.store(request, passedDown);
        } finally {
            probe.movedInEnds(cpuAtStart);
        }
    }

    /** {@code settle}'s marker for a request a forwarder took (its time is not service time here). */
    private static final long NOT_SERVED_HERE = Long.MIN_VALUE;

    /**
     * True if a forwarder took charge of the request (moved it, or will serve it here itself after a failed
     * connect); false if it is to be served here now. After true, neither request nor response may be touched.
     */
    private boolean moved(HttpServletRequest request, HttpServletResponse response, FilterChain chain, long now,
            boolean gateFull) throws IOException, ServletException {
        return moved(request, response, chain, now, directive.offloading(now), gateFull);
    }

    /** As above, under {@code d} ({@code directive.offloading(now)}, read once by the caller). */
    private boolean moved(HttpServletRequest request, HttpServletResponse response, FilterChain chain, long now,
            ActiveDirective d, boolean gateFull) throws IOException, ServletException {
        if (d == null) {
            // No permit (none granted, or its lease ran out): a request that finds the pool backed up had no budget
            // at all, and is counted as over budget like one that found every budget spent. Otherwise a hot host
            // left without a permit reports no unmet need, and a host that holds one claims every target's spare
            // (benchmark "two hot of four", BENCHMARKS.md section 7, session 7).
            if (gateFull || valve.open(now)) {
                decider.noPermit(request, Eligibility.checkedPath(request));
            }
            return false;
        }
        if (d.mode() == OffloadMode.PROXY) {
            forwarding.prepareProxy(); // once: the relay is ready before the first request needs it
        }
        // The valve: under a permit only a request with others waiting behind it for a worker, or one that took the
        // last of the workers kept free for the next arrival, spills. Moving it frees this worker at once, so the
        // pool keeps serving at its full rate and only the excess leaves. A CPU-capped server whose cgroup nears its
        // quota (last 100 ms) sheds its excess too (SpillValve).
        // With the admission gate on, the pool's queue stays empty: the gate says when a request would have waited.
        if (d.isPermit() && !gateFull && !valve.open(now)) {
            return false;
        }
        String path = Eligibility.checkedPath(request);
        Peer target = d.isPermit() ? decider.spill(d, request, path, now) : decider.choose(d, request, path);
        if (target == null) {
            return false;
        }
        ForwardResult result = switch (d.mode()) {
            case REDIRECT -> forwarding.redirect().forward(request, response, chain, target, path);
            case PROXY -> forwarding.proxy().forward(request, response, chain, target, path);
            case LOCAL -> ForwardResult.TAKEN; // never: a LOCAL directive is not offloading
        };
        if (!result.taken()) {
            counters.declined(result);
        }
        return result.taken();
    }

    // Load bookkeeping ends when the response does: now for a plain request, on completion for an async one.
    private void settle(HttpServletRequest request, HttpServletResponse response, boolean finished, long entered) {
        if (finished && request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new CompletionListener(entered));
            return;
        }
        if (!finished || response.getStatus() >= 500) {
            counters.countError();
        }
        exit(entered);
    }

    private void exit(long entered) {
        if (entered != NOT_SERVED_HERE) {
            counters.servedHere(probe.now() - entered);
        }
        probe.exit();
    }

    @Override
    public void destroy() {
        if (agent != null) {
            try {
                agent.close();
            } catch (Exception e) {
                LOG.warning(() -> "Spillway: stopping the embedded agent failed: " + e);
            }
            agent = null;
        }
        if (localAnswer instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warning(() -> "Spillway: closing the webapp's localAnswer failed: " + e);
            }
        }
        localAnswer = null;
        if (forwarding != null) {
            forwarding.close();
            forwarding = null;
        }
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }

    /** Ends an async request's bookkeeping exactly once, however it ends. */
    private final class CompletionListener implements AsyncListener {
        private final long entered;
        private boolean done;

        CompletionListener(long entered) {
            this.entered = entered;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            finish(event, false);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            finish(event, true);
        }

        @Override
        public void onError(AsyncEvent event) {
            finish(event, true);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // a re-started async cycle fires onComplete later; wait for that
            event.getAsyncContext().addListener(this);
        }

        private synchronized void finish(AsyncEvent event, boolean failed) {
            if (done) {
                return;
            }
            done = true;
            ServletResponse r = event.getSuppliedResponse();
            if (failed || (r instanceof HttpServletResponse && ((HttpServletResponse) r).getStatus() >= 500)) {
                counters.countError();
            }
            exit(entered);
        }
    }
}
