package dev.spillway.filter.probe;

import jakarta.servlet.ServletContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;

/**
 * Jetty 12: the Server's {@code org.eclipse.jetty.util.thread.QueuedThreadPool}, reached from the servlet context by
 * {@code ServletContextHandler.getServletContextHandler(ctx).getServer().getThreadPool()}.
 * Queue length = {@code getQueueSize()} (jobs waiting for a thread) + {@code getUtilizedThreads()} (threads running
 * ordinary jobs). In 12.1 utilized = threads - leased - idle - reserved, so the selector and acceptor threads the
 * pool leases to the connectors, and the idle reserved threads, are not counted as load.
 */
final class JettyThreadPoolQueueLength implements QueueLengthSource {
    static final String NAME = "jetty-thread-pool";
    private static final MethodType INT_OF_OBJECT = MethodType.methodType(int.class, Object.class);

    private final Object pool;
    private final MethodHandle queueSize;
    private final MethodHandle utilizedThreads;
    private final MethodHandle maxAvailableThreads;
    private final FreeThreads free;
    private volatile boolean broken;

    private JettyThreadPoolQueueLength(Object pool, MethodHandle queueSize, MethodHandle utilizedThreads,
                                       MethodHandle maxAvailableThreads, FreeThreads free) {
        this.pool = pool;
        this.queueSize = queueSize;
        this.utilizedThreads = utilizedThreads;
        this.maxAvailableThreads = maxAvailableThreads;
        this.free = free;
    }

    /**
     * The getters behind {@link #freeWorkers}. Not {@code getMaxAvailableThreads() - getUtilizedThreads()}: both
     * count the threads leased to selectors and acceptors by streaming over the leases (an allocation per read).
     * The leased threads are among {@code getThreads()} and outside the maximum left for requests alike, so
     * {@code max - threads + idle - queued + reserved} is the same figure from atomic reads only: threads not yet
     * started count as free (the pool starts one for a job that finds none idle), and so do the reserved threads
     * parked for the selectors to hand a new request to.
     */
    private record FreeThreads(MethodHandle maxThreads, MethodHandle threads, MethodHandle idleThreads,
                               MethodHandle reservedThreads) {
        /** Null where the pool lacks one of the getters: the other figures still work, the reserve does not. */
        static FreeThreads of(MethodHandles.Lookup lookup, Class<?> qtp) {
            MethodType intType = MethodType.methodType(int.class);
            try {
                return new FreeThreads(lookup.findVirtual(qtp, "getMaxThreads", intType).asType(INT_OF_OBJECT),
                        lookup.findVirtual(qtp, "getThreads", intType).asType(INT_OF_OBJECT),
                        lookup.findVirtual(qtp, "getIdleThreads", intType).asType(INT_OF_OBJECT),
                        lookup.findVirtual(qtp, "getAvailableReservedThreads", intType).asType(INT_OF_OBJECT));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    }

    /** @return the source, or null if {@code ctx} is not a Jetty 12 ee10 context or its pool is not a QTP */
    static JettyThreadPoolQueueLength from(ServletContext ctx) {
        try {
            Class<?> handlerClass = ContainerTimestampSource.containerClass(ctx.getClass(),
                    JettyNames.of(".ee10.servlet.ServletContextHandler"));
            Class<?> servletContext = ContainerTimestampSource.containerClass(ctx.getClass(), "jakarta.servlet.ServletContext");
            Object handler = handlerClass.getMethod("getServletContextHandler", servletContext).invoke(null, ctx);
            Object server = handler.getClass().getMethod("getServer").invoke(handler);
            Object pool = server.getClass().getMethod("getThreadPool").invoke(server);
            Class<?> qtp = ContainerTimestampSource.containerClass(ctx.getClass(),
                    JettyNames.of(".util.thread.QueuedThreadPool"));
            if (pool == null || !qtp.isInstance(pool)) {
                return null;
            }
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodType intType = MethodType.methodType(int.class);
            return new JettyThreadPoolQueueLength(pool,
                    lookup.findVirtual(qtp, "getQueueSize", intType).asType(INT_OF_OBJECT),
                    lookup.findVirtual(qtp, "getUtilizedThreads", intType).asType(INT_OF_OBJECT),
                    // maxThreads less the threads leased to selectors and acceptors: what requests can run on
                    lookup.findVirtual(qtp, "getMaxAvailableThreads", intType).asType(INT_OF_OBJECT),
                    FreeThreads.of(lookup, qtp));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    @Override
    public int queueLength() {
        if (broken) {
            return UNKNOWN;
        }
        try {
            // Two unsynchronised reads of the pool's counters: each can be momentarily off by the jobs moving
            // between them, never negative.
            int queued = (int) queueSize.invokeExact(pool);
            int utilized = (int) utilizedThreads.invokeExact(pool);
            return Math.max(0, queued) + Math.max(0, utilized);
        } catch (Throwable e) {
            broken = true;
            return UNKNOWN;
        }
    }

    /** QTP's queue size is derived from one atomic counter (idle threads less queued jobs): no lock. */
    @Override
    public int waiting() {
        return read(queueSize);
    }

    @Override
    public int freeWorkers() {
        if (broken || free == null) {
            return UNKNOWN;
        }
        try {
            // Unsynchronised reads: momentarily off by a job moving between them, which the valve tolerates.
            int max = (int) free.maxThreads().invokeExact(pool);
            int threads = (int) free.threads().invokeExact(pool);
            int idle = (int) free.idleThreads().invokeExact(pool);
            int queued = (int) queueSize.invokeExact(pool);
            int reserved = (int) free.reservedThreads().invokeExact(pool);
            return Math.max(0, max - threads + idle - queued + reserved);
        } catch (Throwable e) {
            broken = true;
            return UNKNOWN;
        }
    }

    @Override
    public int busyWorkers() {
        return read(utilizedThreads);
    }

    @Override
    public int maxWorkers() {
        return read(maxAvailableThreads);
    }

    private int read(MethodHandle getter) {
        if (broken) {
            return UNKNOWN;
        }
        try {
            return Math.max(0, (int) getter.invokeExact(pool));
        } catch (Throwable e) {
            broken = true;
            return UNKNOWN;
        }
    }

    @Override
    public Executor workerPool() {
        return pool instanceof Executor e ? e : null;
    }

    @Override
    public String name() {
        return NAME;
    }
}
