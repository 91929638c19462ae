package dev.spillway.demo;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads one server's filter MXBean ({@code dev.spillway:type=Filter,context=/shop}) over that server's agent JMX
 * connector, as JConsole would, as a JMX user (the demo's agents require one). Reconnects after a failure; a server
 * that cannot be reached reads as null.
 */
public final class FilterProbe implements AutoCloseable {
    static final String[] ATTRIBUTES = {"QueueDelayMillis", "QueueLength", "Requests", "Offloaded", "FellBack",
        "OffloadFailures", "DirectiveMode", "DirectiveTargets", "DirectiveFraction", "DirectiveLeaseRemainingMillis",
        "PermitBudgets", "PeerStats", "DirectiveEpoch"};

    /**
     * One reading; numbers as the MXBean gives them; {@code movedTo}: requests moved so far, per peer id;
     * {@code directiveEpoch}: the leader epoch of the newest permit or directive the filter accepted (0: a sole
     * manager).
     */
    public record Reading(double queueDelayMillis, double queueLength, long requests, long offloaded, long fellBack,
            long offloadFailures, String mode, List<String> targets, double fraction, long leaseRemainingMillis,
            List<Double> budgets, Map<String, Long> movedTo, long directiveEpoch) {
        /** "REDIRECT 40%", "REDIRECT permit <=140/s" (budgets added up) or "LOCAL". */
        public String directive() {
            if ("LOCAL".equals(mode)) {
                return "LOCAL";
            }
            if (!budgets.isEmpty()) {
                return mode + " permit <=" + Math.round(budgets.stream().mapToDouble(Double::doubleValue).sum()) + "/s";
            }
            return mode + " " + Math.round(fraction * 100) + "%";
        }
    }

    private final String url;
    private final String[] credentials;
    private final ObjectName name;
    private JMXConnector connector;
    private MBeanServerConnection mbs;

    /** @param credentials {user, password} of a user with at least the readonly role */
    public FilterProbe(String jmxUrl, String[] credentials) {
        this.url = jmxUrl;
        this.credentials = credentials.clone();
        try {
            this.name = new ObjectName("dev.spillway:type=Filter,context=" + Cluster.CONTEXT);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current figures, or null when the server's agent does not answer. */
    public synchronized Reading read() {
        try {
            if (mbs == null) {
                connector = JMXConnectorFactory.connect(new JMXServiceURL(url),
                        Map.of("jmx.remote.x.request.waiting.timeout", 3_000L, JMXConnector.CREDENTIALS, credentials));
                mbs = connector.getMBeanServerConnection();
            }
            AttributeList list = mbs.getAttributes(name, ATTRIBUTES);
            Map<String, Object> v = new HashMap<>();
            for (Attribute a : list.asList()) {
                v.put(a.getName(), a.getValue());
            }
            return new Reading(num(v, "QueueDelayMillis"), num(v, "QueueLength"), (long) num(v, "Requests"),
                    (long) num(v, "Offloaded"), (long) num(v, "FellBack"), (long) num(v, "OffloadFailures"),
                    String.valueOf(v.get("DirectiveMode")),
                    v.get("DirectiveTargets") instanceof String[] t ? List.of(t) : List.of(), num(v, "DirectiveFraction"),
                    (long) num(v, "DirectiveLeaseRemainingMillis"), budgets(v.get("PermitBudgets")),
                    movedTo(v.get("PeerStats")), (long) num(v, "DirectiveEpoch"));
        } catch (IOException | JMException | RuntimeException e) {
            close();
            return null;
        }
    }

    private static List<Double> budgets(Object o) {
        if (!(o instanceof double[] b)) {
            return List.of();
        }
        return java.util.Arrays.stream(b).boxed().toList();
    }

    private static Map<String, Long> movedTo(Object o) {
        Map<String, Long> out = new HashMap<>();
        if (o instanceof javax.management.openmbean.CompositeData[] rows) {
            for (javax.management.openmbean.CompositeData row : rows) {
                if (row.get("peer") instanceof String peer && row.get("moved") instanceof Long moved) {
                    out.merge(peer, moved, Long::sum);
                }
            }
        }
        return out;
    }

    private static double num(Map<String, Object> v, String key) {
        Object o = v.get(key);
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override
    public synchronized void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException | RuntimeException ignored) {
                // gone already
            }
        }
        connector = null;
        mbs = null;
    }
}
