package dev.spillway.agent.jmx;

import dev.spillway.agent.contract.ObjectNames;
import java.util.List;
import java.util.Set;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Which MBean attributes a connector serves. No connector serves what can hold a secret:
 * {@code java.lang:type=Runtime}'s system properties, JVM arguments and class/library paths ({@code -D} passwords,
 * a {@code --token} flag in {@code sun.java.command}). An authenticated user, of either role, reads only Spillway's
 * MBeans and this list of load figures (a container JVM's other MBeans can hold data source passwords, and the
 * control login to the manager is on every web host):
 * <ul>
 *   <li>{@code java.lang}: Memory, OperatingSystem, ClassLoading, GarbageCollector and MemoryPool (all attributes);
 *       Threading counts; Runtime's Uptime, StartTime and VM name, vendor and version;</li>
 *   <li>the container thread pools and session managers the agent reads (Tomcat {@code type=Executor},
 *       {@code type=ThreadPool}, {@code type=Manager}; Jetty's {@code queuedthreadpool}): their size figures only.</li>
 * </ul>
 */
final class ReadableAttributes {
    private static final ObjectName RUNTIME = name("java.lang:type=Runtime");
    private static final Set<String> SECRET_RUNTIME = Set.of("SystemProperties", "InputArguments", "ClassPath",
            "BootClassPath", "LibraryPath");

    private record Rule(ObjectName pattern, Set<String> attributes) {
        boolean allows(ObjectName n, String attribute) {
            return pattern.apply(n) && (attributes.isEmpty() || attributes.contains(attribute));
        }
    }

    // an empty attribute set means all attributes of the MBean
    private static final List<Rule> LISTED = List.of(
            new Rule(name(ObjectNames.DOMAIN + ":*"), Set.of()),
            new Rule(name("JMImplementation:type=MBeanServerDelegate"), Set.of()),
            new Rule(name("java.lang:type=Memory"), Set.of()),
            new Rule(name("java.lang:type=OperatingSystem"), Set.of()),
            new Rule(name("java.lang:type=ClassLoading"), Set.of()),
            new Rule(name("java.lang:type=GarbageCollector,*"), Set.of()),
            new Rule(name("java.lang:type=MemoryPool,*"), Set.of()),
            new Rule(name("java.lang:type=Threading"), Set.of("ThreadCount", "PeakThreadCount", "DaemonThreadCount",
                    "TotalStartedThreadCount")),
            new Rule(RUNTIME, Set.of("Uptime", "StartTime", "VmName", "VmVendor", "VmVersion", "SpecVersion")),
            new Rule(name("*:type=Executor,*"), Set.of("queueSize", "activeCount", "maxThreads", "poolSize")),
            new Rule(name("*:type=ThreadPool,*"), Set.of("currentThreadsBusy", "currentThreadCount", "maxThreads")),
            new Rule(name("*:type=Manager,*"), Set.of("activeSessions", "maxActiveSessions")),
            new Rule(name(String.join(".", "org", "eclipse", "jetty") + ".util.thread:type=queuedthreadpool,*"),
                    Set.of("queueSize", "busyThreads", "threads", "maxThreads")));

    private ReadableAttributes() {
    }

    /**
     * @param authenticated false for a loopback connector without a password file (every local caller)
     * @return null when the attribute may be read, else why not
     */
    static String refusal(boolean authenticated, ObjectName n, String attribute) {
        if (RUNTIME.apply(n) && SECRET_RUNTIME.contains(attribute)) {
            return "Runtime's " + attribute + " can hold passwords and is not served over this JMX connector";
        }
        if (authenticated && LISTED.stream().noneMatch(r -> r.allows(n, attribute))) {
            return "this JMX connector serves Spillway's MBeans and the documented load figures only, not " + n
                    + " " + attribute;
        }
        return null;
    }

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}
