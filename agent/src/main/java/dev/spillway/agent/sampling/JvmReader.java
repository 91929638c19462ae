package dev.spillway.agent.sampling;

import dev.spillway.agent.contract.ObjectNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * Reads one JVM's Spillway filter MXBeans and, where present, its container's thread-pool and session-manager
 * MBeans. One {@code getAttributes} round trip per MBean. Container MBean names are looked up again only every
 * {@link #CONTAINER_REFRESH_SAMPLES} samples: a wildcard-domain query walks every MBean of a Tomcat.
 */
public final class JvmReader {
    static final int CONTAINER_REFRESH_SAMPLES = 10;
    private static final String[] FILTER_ATTRIBUTES = {"QueueLengthAverage", "QueueLengthMax", "QueueSource",
        "QueueDelayMillis", "QueueDelayMaxMillis", "InFlight", "Requests", "Errors", "DirectiveMode", "WaitingRequests", "BusyWorkers", "MaxWorkers",
        "ServedHere", "ServiceMicrosTotal", "Offloaded", "SpillOverBudget", "PeerStats", "Declined", "MovedInRequests"};
    private static final String[] QUEUE_ATTRIBUTES = {"QueueLengthAverage", "QueueSource", "QueueDelayMillis",
        "WaitingRequests", "SpillOverBudget"};
    // Tomcat: Catalina (or Tomcat when embedded):type=Executor / type=Manager; Jetty's MBeanContainer lowercases.
    private static final ObjectName RUNTIME = ObjectNames.of("java.lang:type=Runtime");
    private static final ObjectName TOMCAT_EXECUTORS = ObjectNames.of("*:type=Executor,*");
    private static final ObjectName TOMCAT_THREAD_POOLS = ObjectNames.of("*:type=ThreadPool,*");
    private static final ObjectName TOMCAT_MANAGERS = ObjectNames.of("*:type=Manager,*");
    // Spelled at run time: the filter JAR (which bundles these classes) relocates a Jetty client from org.eclipse.jetty,
    // and the shade plugin would rewrite a constant starting with that name into the relocated one.
    private static final ObjectName JETTY_POOLS = ObjectNames.of(String.join(".", "org", "eclipse", "jetty")
            + ".util.thread:type=queuedthreadpool,*");
    // Jetty's session count (its JMX on): sessions in each context's cache; Jetty has no session limit to report.
    private static final ObjectName JETTY_SESSION_CACHES = ObjectNames.of(String.join(".", "org", "eclipse", "jetty")
            + ".session:type=defaultsessioncache,*");

    private final JvmConnection jvm;
    private List<ObjectName> executors = List.of();
    private List<ObjectName> threadPools = List.of();
    private List<ObjectName> managers = List.of();
    private List<ObjectName> jettyPools = List.of();
    private List<ObjectName> jettySessions = List.of();
    private volatile List<ObjectName> filterNames = List.of();
    private int samplesUntilRefresh;
    private JvmProcess process;

    public JvmReader(JvmConnection jvm) {
        this.jvm = jvm;
    }

    public JvmConnection jvm() {
        return jvm;
    }

    public List<FilterFigures> readFilters() throws IOException {
        Set<ObjectName> names = jvm.connection().queryNames(ObjectNames.allFilters(), null);
        filterNames = List.copyOf(names);
        return readFilters(names, FILTER_ATTRIBUTES);
    }

    /**
     * Only what the quick check needs (queue length, its source, queue delay, waiting requests, spills over budget;
     * the other figures unknown), from the filters the last {@link #readFilters()} found: a name query walks every
     * MBean of the JVM, which would cost more than the check itself. A filter deployed since then is seen from the
     * next full sample on.
     */
    public List<FilterFigures> readFilterQueues() throws IOException {
        return readFilters(filterNames, QUEUE_ATTRIBUTES);
    }

    private List<FilterFigures> readFilters(java.util.Collection<ObjectName> names, String[] attributes)
            throws IOException {
        MBeanServerConnection c = jvm.connection();
        List<FilterFigures> out = new ArrayList<>(names.size());
        for (ObjectName n : names) {
            AttributeList a;
            try {
                a = c.getAttributes(n, attributes);
            } catch (JMException e) {
                continue; // undeployed between query and read
            }
            if (attributes == QUEUE_ATTRIBUTES) {
                out.add(FilterFigures.queueOnly(n, dbl(a, "QueueLengthAverage"), str(a, "QueueSource"),
                        dbl(a, "QueueDelayMillis"), lng(a, "WaitingRequests"), lng(a, "SpillOverBudget")));
                continue;
            }
            out.add(new FilterFigures(n, dbl(a, "QueueLengthAverage"), lng(a, "QueueLengthMax"),
                    str(a, "QueueSource"), dbl(a, "QueueDelayMillis"), dbl(a, "QueueDelayMaxMillis"),
                    lng(a, "InFlight"), lng(a, "Requests"), lng(a, "Errors"), str(a, "DirectiveMode"),
                    new FilterFigures.Pool(lng(a, "WaitingRequests"), lng(a, "BusyWorkers"), lng(a, "MaxWorkers")),
                    new FilterFigures.Work(lng(a, "ServedHere"), lng(a, "ServiceMicrosTotal"), lng(a, "Offloaded"),
                            lng(a, "SpillOverBudget"), lng(a, "MovedInRequests")),
                    movedTo(value(a, "PeerStats")), declined(value(a, "Declined"))));
        }
        return out;
    }

    /**
     * The JVM's process id and start time (to find its cgroup), read once per connection: a JVM does not change
     * its pid, and a restarted one is only reached through a new connection ({@link #forgetProcess()}).
     *
     * @return null when the JVM does not say (no {@code java.lang:type=Runtime} MBean)
     */
    public JvmProcess readProcess() throws IOException {
        if (process == null) {
            try {
                AttributeList a = jvm.connection().getAttributes(RUNTIME, new String[] {"Pid", "StartTime"});
                long pid = lng(a, "Pid");
                long start = lng(a, "StartTime");
                process = pid > 0 && start > 0 ? new JvmProcess(pid, start) : null;
            } catch (JMException e) {
                return null;
            }
        }
        return process;
    }

    /** Called when the connection broke: the next one may reach another process. */
    public void forgetProcess() {
        process = null;
    }

    public ContainerFigures readContainer() throws IOException {
        MBeanServerConnection c = jvm.connection();
        if (samplesUntilRefresh-- <= 0) {
            executors = List.copyOf(c.queryNames(TOMCAT_EXECUTORS, null));
            threadPools = List.copyOf(c.queryNames(TOMCAT_THREAD_POOLS, null));
            managers = List.copyOf(c.queryNames(TOMCAT_MANAGERS, null));
            jettyPools = List.copyOf(c.queryNames(JETTY_POOLS, null));
            jettySessions = List.copyOf(c.queryNames(JETTY_SESSION_CACHES, null));
            samplesUntilRefresh = CONTAINER_REFRESH_SAMPLES - 1;
        }
        if (executors.isEmpty() && threadPools.isEmpty() && managers.isEmpty() && jettyPools.isEmpty()
                && jettySessions.isEmpty()) {
            return ContainerFigures.UNKNOWN;
        }
        Sum queue = new Sum();
        Sum busy = new Sum();
        for (ObjectName n : executors) {
            AttributeList a = attributes(c, n, "queueSize", "activeCount");
            queue.add(lng(a, "queueSize"));
            busy.add(lng(a, "activeCount"));
        }
        if (executors.isEmpty()) {
            for (ObjectName n : threadPools) {
                busy.add(lng(attributes(c, n, "currentThreadsBusy"), "currentThreadsBusy"));
            }
        }
        for (ObjectName n : jettyPools) {
            AttributeList a = attributes(c, n, "queueSize", "busyThreads");
            queue.add(lng(a, "queueSize"));
            busy.add(lng(a, "busyThreads"));
        }
        Sum sessions = new Sum();
        Sum capacity = new Sum();
        boolean unlimited = false;
        for (ObjectName n : managers) {
            AttributeList a = attributes(c, n, "activeSessions", "maxActiveSessions");
            sessions.add(lng(a, "activeSessions"));
            long max = lng(a, "maxActiveSessions");
            unlimited |= max < 0; // Tomcat's -1 means "no limit": the capacity is then unknown, not 0
            capacity.add(max);
        }
        for (ObjectName n : jettySessions) {
            sessions.add(lng(attributes(c, n, "sessionsCurrent"), "sessionsCurrent"));
        }
        return new ContainerFigures(queue.known ? queue.total : Double.NaN, busy.known ? busy.total : -1,
                sessions.known ? sessions.total : -1, capacity.known && !unlimited ? capacity.total : -1);
    }

    private AttributeList attributes(MBeanServerConnection c, ObjectName n, String... names) throws IOException {
        try {
            return c.getAttributes(n, names);
        } catch (JMException e) {
            samplesUntilRefresh = 0; // the MBean went away: look the names up again next time
            return new AttributeList();
        }
    }

    private static final class Sum {
        long total;
        boolean known;

        void add(long v) {
            if (v >= 0) {
                total += v;
                known = true;
            }
        }
    }

    /** Per peer id, the requests moved to it so far, from the filter's {@code PeerStats} rows. */
    private static java.util.Map<String, Long> movedTo(Object peerStats) {
        if (!(peerStats instanceof javax.management.openmbean.CompositeData[] rows)) {
            return java.util.Map.of();
        }
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (javax.management.openmbean.CompositeData row : rows) {
            if (row != null && row.get("peer") instanceof String peer && row.get("moved") instanceof Long moved) {
                out.merge(peer, moved, Long::sum);
            }
        }
        return out;
    }

    /** Per reason, the chosen requests a forwarder declined so far: the filter's {@code Declined} map (TabularData). */
    private static java.util.Map<String, Long> declined(Object declined) {
        if (!(declined instanceof javax.management.openmbean.TabularData table)) {
            return java.util.Map.of();
        }
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (Object row : table.values()) {
            if (row instanceof javax.management.openmbean.CompositeData cd && cd.get("key") instanceof String reason
                    && cd.get("value") instanceof Long count) {
                out.put(reason, count);
            }
        }
        return out;
    }

    private static Object value(AttributeList list, String name) {
        for (Attribute a : list.asList()) {
            if (a.getName().equals(name)) {
                return a.getValue();
            }
        }
        return null;
    }

    // Spillway and container figures are never negative; a negative one is some MBean's way of saying "unknown".
    static double dbl(AttributeList list, String name) {
        return value(list, name) instanceof Number n && n.doubleValue() >= 0 ? n.doubleValue() : Double.NaN;
    }

    static long lng(AttributeList list, String name) {
        return value(list, name) instanceof Number n && n.longValue() >= 0 ? n.longValue() : -1;
    }

    static String str(AttributeList list, String name) {
        Object v = value(list, name);
        return v == null ? "" : v.toString();
    }
}
