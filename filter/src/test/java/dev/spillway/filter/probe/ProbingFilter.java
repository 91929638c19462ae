package dev.spillway.filter.probe;

import dev.spillway.settings.TrustedProxies;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The smallest user of the probe, standing in for OffloadFilter: enter, chain, exit. */
public class ProbingFilter implements Filter {
    static final long WINDOW_MILLIS = 1_000;
    /** One server runs at a time in these tests; the test thread reads the probe from here, not over HTTP. */
    static final AtomicReference<LoadProbe> PROBE = new AtomicReference<>();

    private LoadProbe probe;

    @Override
    public void init(FilterConfig config) {
        String trusted = config.getInitParameter("trusted");
        TrustedProxies proxies = trusted == null ? TrustedProxies.NONE : TrustedProxies.parse("trusted", List.of(trusted));
        probe = LoadProbe.create(config.getServletContext(), proxies, WINDOW_MILLIS);
        PROBE.set(probe);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Wrapped as a webapp or OffloadFilter might: the probe has to find the container's request underneath.
        probe.enter(new HttpServletRequestWrapper((HttpServletRequest) request));
        try {
            chain.doFilter(request, response);
        } finally {
            probe.exit();
        }
    }
}
