package dev.spillway.agent.sampling;

/**
 * What a container's own MBeans tell (Jetty/Tomcat thread pools, Tomcat session managers, Jetty session caches);
 * -1 / NaN where the container has no such MBean or JMX is off in it.
 */
public record ContainerFigures(double threadPoolQueue, long busyThreads, long activeSessions, long sessionCapacity) {
    public static final ContainerFigures UNKNOWN = new ContainerFigures(Double.NaN, -1, -1, -1);
}
