package dev.spillway.filter;

import dev.spillway.agent.config.ConfigException;
import dev.spillway.agent.contract.PeerStats;
import dev.spillway.filter.directive.ActiveDirective;
import dev.spillway.filter.directive.DirectiveSlot;
import dev.spillway.filter.directive.PeerAvailability;
import dev.spillway.filter.jmx.FilterStatus;
import dev.spillway.filter.jmx.MBeanRegistration;
import dev.spillway.filter.probe.LoadProbe;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
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
 * to a peer, as the current directive says. Per request: load bookkeeping → (only while a directive moves requests)
 * eligibility → fraction → target → move, or serve here. Everything it knows and the directive operations are on its
 * MXBean, {@code dev.spillway:type=Filter,context=<ctx>}.
 *
 * <p>Nothing on the request path depends on the control plane being up: with no directive, an ended lease, or no
 * reachable peer, the request is served here.
 */
public class OffloadFilter implements Filter {
    private static final Logger LOG = Logger.getLogger(OffloadFilter.class.getName());

    private LoadProbe probe;
    private FilterCounters counters;
    private DirectiveSlot directive;
    private OffloadDecider decider;
    private MBeanRegistration registration;

    /** Containers create filters with this constructor; all configuration comes from {@link #init}. */
    public OffloadFilter() {
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        String where = "Spillway filter '" + config.getFilterName() + "' in context '"
                + config.getServletContext().getContextPath() + "'";
        FilterSettings settings;
        try {
            settings = FilterSettings.from(FilterConfigReader.read(config), knownKeys());
        } catch (ConfigException e) {
            throw new ServletException(where + ": " + e.getMessage(), e);
        }
        String contextPath = config.getServletContext().getContextPath();
        HopMarker hopMarker = new HopMarker(settings.hopSecret(), settings.hopTtlMillis(), System::currentTimeMillis);
        probe = LoadProbe.create(config.getServletContext(), settings.trustedProxies(), settings.loadWindowMillis());
        counters = new FilterCounters();
        directive = new DirectiveSlot(settings.peers(), System::nanoTime);
        Eligibility eligibility = new Eligibility(settings.methods(), settings.pageRules(),
                settings.keepSessionsLocal(), hopMarker);
        decider = new OffloadDecider(eligibility, counters, PeerAvailability.ALWAYS);
        FilterStatus status = new FilterStatus(contextPath, probe, counters, directive, settings.peers(),
                () -> settings.peers().stream().map(p -> new PeerStats(p.id(), 0, 0, 0, Double.NaN, false))
                        .toArray(PeerStats[]::new),
                System::nanoTime);
        try {
            registration = MBeanRegistration.register(status, contextPath);
        } catch (JMException e) {
            throw new ServletException(where + ": cannot register its MXBean: " + e.getMessage(), e);
        }
        LOG.info(() -> where + " ready: " + settings.peers().size() + " peers, MXBean " + registration.name());
    }

    /** The settings keys this filter accepts; anything else in web.xml or the file is reported as a typo. */
    static Set<String> knownKeys() {
        return new HashSet<>(FilterSettings.KEYS);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        probe.enter(request);
        counters.requests.increment();
        boolean finished = false;
        try {
            if (!moved(request)) {
                chain.doFilter(request, response);
            }
            finished = true;
        } finally {
            settle(request, response, finished);
        }
    }

    /** True if the request was handed to a peer; false if it is to be served here. */
    private boolean moved(HttpServletRequest request) {
        ActiveDirective d = directive.offloading(System.nanoTime());
        if (d == null) {
            return false;
        }
        String path = Eligibility.checkedPath(request);
        Peer target = decider.choose(d, request, path);
        // Forwarding (redirect / proxy) is not wired in yet: a chosen request is counted and served here.
        return false;
    }

    // Load bookkeeping ends when the response does: now for a plain request, on completion for an async one.
    private void settle(HttpServletRequest request, HttpServletResponse response, boolean finished) {
        if (finished && request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new CompletionListener());
            return;
        }
        if (!finished || response.getStatus() >= 500) {
            counters.errors.increment();
        }
        probe.exit();
    }

    @Override
    public void destroy() {
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }

    /** Ends an async request's bookkeeping exactly once, however it ends. */
    private final class CompletionListener implements AsyncListener {
        private boolean done;

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
                counters.errors.increment();
            }
            probe.exit();
        }
    }
}
