package dev.spillway.bench.cache;

import java.io.IOException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Two counters of one server's filter MXBean, read over its embedded agent's JMX connector on loopback (no
 * credentials: the cluster's agents have no JMX users there): {@code PageCacheHits} and {@code Offloaded}.
 */
record FilterCounters(long pageCacheHits, long offloaded) {
    static final String CONTEXT = "/shop";

    /** The counters now; null if the connector cannot be read (the figures then show "?", the run goes on). */
    static FilterCounters read(int jmxPort) {
        try {
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            try (JMXConnector c = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection mbs = c.getMBeanServerConnection();
                ObjectName filter = new ObjectName("dev.spillway:type=Filter,context=" + CONTEXT);
                return new FilterCounters(((Number) mbs.getAttribute(filter, "PageCacheHits")).longValue(),
                        ((Number) mbs.getAttribute(filter, "Offloaded")).longValue());
            }
        } catch (IOException | JMException | RuntimeException e) {
            System.err.println("could not read the filter MXBean on JMX port " + jmxPort + ": " + e);
            return null;
        }
    }

    /** What was counted between {@code before} and {@code after}; null when either is unknown. */
    static FilterCounters between(FilterCounters before, FilterCounters after) {
        return before == null || after == null ? null : new FilterCounters(
                after.pageCacheHits - before.pageCacheHits, after.offloaded - before.offloaded);
    }
}
