package dev.spillway.filter.probe;

import jakarta.servlet.ServletRequest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tomcat 11: active threads + queued tasks of the connectors' executors
 * ({@code org.apache.tomcat.util.threads.ThreadPoolExecutor}: {@code getActiveCount()} + {@code getQueue().size()};
 * a shared {@code org.apache.catalina.core.StandardThreadExecutor}: {@code getActiveCount()} + {@code getQueueSize()}).
 *
 * <p>Reached by reflection from the first request (RequestFacade → connector.Request → {@code getConnector()} →
 * {@code getService().findConnectors()} → {@code getProtocolHandler().getExecutor()}) rather than through Tomcat's
 * {@code ThreadPool} MBeans: the MBean registry is optional (Spring Boot disables it by default), its domain differs
 * between embedded and standalone Tomcat, and an attribute read boxes and looks names up.
 *
 * <p>With several connectors the executors are summed (a shared executor counted once): the webapp is served by every
 * connector of its Service, and the figure means "requests this host accepted that wait for or hold a worker".
 */
final class TomcatExecutorQueueLength implements QueueLengthSource {
    static final String NAME = "tomcat-executor";
    private static final MethodType INT_OF_OBJECT = MethodType.methodType(int.class, Object.class);
    private static final int UNRESOLVED = 0;
    private static final int RESOLVING = 1;
    private static final int DONE = 2;

    private final AtomicInteger state = new AtomicInteger(UNRESOLVED);
    private volatile Object[] executors = new Object[0];
    private volatile MethodHandle[] activeCounts = new MethodHandle[0];
    private volatile MethodHandle[] queueSizes = new MethodHandle[0];
    private volatile MethodHandle[] maxSizes = new MethodHandle[0];
    /** Per executor: tasks submitted and not finished (Tomcat's own executor), or null where it has no such count. */
    private volatile MethodHandle[] submittedCounts = new MethodHandle[0];
    private volatile boolean available;
    private volatile Executor servingExecutor;

    @Override
    public void learnFrom(ServletRequest request) {
        // One request resolves; the others (and all later ones) pay one volatile read.
        if (state.get() != UNRESOLVED || !state.compareAndSet(UNRESOLVED, RESOLVING)) {
            return;
        }
        try {
            resolve(Unwrap.toContainerRequest(request));
        } catch (Throwable e) {
            available = false;
        } finally {
            state.set(DONE);
        }
    }

    private void resolve(ServletRequest containerRequest) throws Throwable {
        Class<?> facade = ContainerTimestampSource.containerClass(containerRequest.getClass(),
                "org.apache.catalina.connector.RequestFacade");
        if (!facade.isInstance(containerRequest)) {
            return;
        }
        Object catalinaRequest = TomcatReflection.facadeRequestGetter(facade).invoke(containerRequest);
        Object connector = catalinaRequest.getClass().getMethod("getConnector").invoke(catalinaRequest);
        Object service = connector.getClass().getMethod("getService").invoke(connector);
        Object connectors = service == null ? null : service.getClass().getMethod("findConnectors").invoke(service);
        List<Object> all = new ArrayList<>();
        if (connectors == null) {
            all.add(connector);
        } else {
            for (int i = 0; i < Array.getLength(connectors); i++) {
                all.add(Array.get(connectors, i));
            }
        }
        Object servingProtocol = connector.getClass().getMethod("getProtocolHandler").invoke(connector);
        Object serving = servingProtocol == null ? null
                : servingProtocol.getClass().getMethod("getExecutor").invoke(servingProtocol);
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        List<Object> found = new ArrayList<>();
        List<MethodHandle> actives = new ArrayList<>();
        List<MethodHandle> queues = new ArrayList<>();
        List<MethodHandle> maxes = new ArrayList<>();
        List<MethodHandle> submitted = new ArrayList<>();
        for (Object c : all) {
            Object protocol = c.getClass().getMethod("getProtocolHandler").invoke(c);
            Object executor = protocol == null ? null : protocol.getClass().getMethod("getExecutor").invoke(protocol);
            if (!(executor instanceof Executor) || seen.put(executor, Boolean.TRUE) != null) {
                continue;
            }
            MethodHandle active = intGetter(executor.getClass(), "getActiveCount");
            MethodHandle queued = queueSizeGetter(executor.getClass());
            MethodHandle max = intGetter(executor.getClass(), "getMaximumPoolSize");
            if (max == null) {
                max = intGetter(executor.getClass(), "getMaxThreads"); // StandardThreadExecutor
            }
            if (active != null && queued != null) {
                found.add(executor);
                actives.add(active);
                queues.add(queued);
                maxes.add(max);
                submitted.add(intGetter(executor.getClass(), "getSubmittedCount"));
            }
        }
        executors = found.toArray();
        activeCounts = actives.toArray(new MethodHandle[0]);
        queueSizes = queues.toArray(new MethodHandle[0]);
        maxSizes = maxes.toArray(new MethodHandle[0]);
        submittedCounts = submitted.toArray(new MethodHandle[0]);
        available = !found.isEmpty();
        // The canary goes to the pool of the connector that served the first request: the one users come in by.
        servingExecutor = serving instanceof Executor e && available ? e : null;
    }

    private static MethodHandle intGetter(Class<?> type, String name) {
        try {
            return MethodHandles.publicLookup().findVirtual(type, name, MethodType.methodType(int.class)).asType(INT_OF_OBJECT);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static MethodHandle queueSizeGetter(Class<?> type) throws ReflectiveOperationException {
        MethodHandle direct = intGetter(type, "getQueueSize");
        if (direct != null) {
            return direct;
        }
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodHandle getQueue;
        try {
            getQueue = lookup.findVirtual(type, "getQueue", MethodType.methodType(BlockingQueue.class));
        } catch (NoSuchMethodException e) {
            return null;
        }
        MethodHandle size = lookup.findVirtual(BlockingQueue.class, "size", MethodType.methodType(int.class));
        return MethodHandles.filterReturnValue(getQueue, size).asType(INT_OF_OBJECT);
    }

    @Override
    public int queueLength() {
        if (!available) {
            return UNKNOWN;
        }
        Object[] pools = executors;
        MethodHandle[] actives = activeCounts;
        MethodHandle[] queues = queueSizes;
        int sum = 0;
        try {
            for (int i = 0; i < pools.length; i++) {
                sum += Math.max(0, (int) actives[i].invokeExact(pools[i])) + Math.max(0, (int) queues[i].invokeExact(pools[i]));
            }
        } catch (Throwable e) {
            available = false;
            return UNKNOWN;
        }
        return sum;
    }

    /**
     * Tasks that no thread of the pool can run now: submitted-and-unfinished beyond the pool's maximum. Not the
     * queue's size: Tomcat queues every task, even with idle threads (they take it from the queue a moment later),
     * so a connection's close event would read as a waiting request on an idle server. Both counts are atomic
     * reads. An executor without a submitted count (a shared StandardThreadExecutor) falls back to its queue size.
     */
    @Override
    public int waiting() {
        if (!available) {
            return UNKNOWN;
        }
        Object[] pools = executors;
        MethodHandle[] submitted = submittedCounts;
        MethodHandle[] maxes = maxSizes;
        MethodHandle[] queues = queueSizes;
        int total = 0;
        try {
            for (int i = 0; i < pools.length && i < submitted.length; i++) {
                if (submitted[i] != null && maxes[i] != null) {
                    total += Math.max(0, (int) submitted[i].invokeExact(pools[i]) - (int) maxes[i].invokeExact(pools[i]));
                } else {
                    total += Math.max(0, (int) queues[i].invokeExact(pools[i]));
                }
            }
        } catch (Throwable e) {
            available = false;
            return UNKNOWN;
        }
        return total;
    }

    /**
     * Threads of the pools that no task holds: maximum less submitted-and-unfinished, per executor (atomic reads;
     * the running request's own task is among the submitted). Unknown where an executor has no submitted count.
     */
    @Override
    public int freeWorkers() {
        if (!available) {
            return UNKNOWN;
        }
        Object[] pools = executors;
        MethodHandle[] submitted = submittedCounts;
        MethodHandle[] maxes = maxSizes;
        int total = 0;
        try {
            for (int i = 0; i < pools.length && i < submitted.length; i++) {
                if (submitted[i] == null || maxes[i] == null) {
                    return UNKNOWN;
                }
                total += Math.max(0, (int) maxes[i].invokeExact(pools[i]) - (int) submitted[i].invokeExact(pools[i]));
            }
        } catch (Throwable e) {
            available = false;
            return UNKNOWN;
        }
        return total;
    }

    /** {@code getActiveCount()} takes the executor's main lock: read it from JMX getters only. */
    @Override
    public int busyWorkers() {
        return sum(activeCounts);
    }

    @Override
    public int maxWorkers() {
        return sum(maxSizes);
    }

    private int sum(MethodHandle[] getters) {
        if (!available) {
            return UNKNOWN;
        }
        Object[] pools = executors;
        int total = 0;
        try {
            for (int i = 0; i < pools.length && i < getters.length; i++) {
                if (getters[i] == null) {
                    return UNKNOWN;
                }
                total += Math.max(0, (int) getters[i].invokeExact(pools[i]));
            }
        } catch (Throwable e) {
            available = false;
            return UNKNOWN;
        }
        return total;
    }

    @Override
    public Executor workerPool() {
        return servingExecutor;
    }

    @Override
    public String name() {
        return NAME;
    }
}
