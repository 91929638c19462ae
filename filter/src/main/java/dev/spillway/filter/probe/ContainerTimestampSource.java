package dev.spillway.filter.probe;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;

/**
 * A queue delay read from an arrival timestamp ({@code System.nanoTime()} scale) that the container keeps in its own
 * request object. The container's classes are never linked: a subclass turns the container request class into a
 * {@link MethodHandle} {@code (Object)long} once per request class, and each request then costs one
 * {@code invokeExact} without boxing or allocation. Any failure turns the source off for that class, answering -1.
 */
abstract class ContainerTimestampSource implements QueueDelaySource {
    static final MethodType TIMESTAMP_TYPE = MethodType.methodType(long.class, Object.class);
    private static final long MAX_PLAUSIBLE_NANOS = TimeUnit.HOURS.toNanos(1);

    /** The last request class seen and its handle (null: not this container, or broken). Replaced, never mutated. */
    private record Resolved(Class<?> requestClass, MethodHandle arrivalNanos) {
    }

    private volatile Resolved resolved = new Resolved(Void.class, null);

    /**
     * @return a handle of type {@link #TIMESTAMP_TYPE} reading the arrival time from an instance of
     *         {@code requestClass}, or null if that class is not this container's request
     */
    abstract MethodHandle resolve(Class<?> requestClass);

    /** The container's "not recorded" marker, if it has one. */
    boolean isUnset(long arrivalNanos) {
        return false;
    }

    @Override
    public final long delayNanos(HttpServletRequest request, long nowNanos) {
        ServletRequest containerRequest = Unwrap.toContainerRequest(request);
        Resolved r = resolved;
        if (r.requestClass != containerRequest.getClass()) {
            r = resolveQuietly(containerRequest.getClass());
        }
        MethodHandle handle = r.arrivalNanos;
        if (handle == null) {
            return UNKNOWN;
        }
        long arrival;
        try {
            arrival = (long) handle.invokeExact((Object) containerRequest);
        } catch (Throwable e) {
            // Never throw into the request; a handle that failed once is assumed broken for this class.
            resolved = new Resolved(containerRequest.getClass(), null);
            return UNKNOWN;
        }
        if (isUnset(arrival)) {
            return UNKNOWN;
        }
        long delay = nowNanos - arrival;
        return delay >= 0 && delay <= MAX_PLAUSIBLE_NANOS ? delay : UNKNOWN;
    }

    private Resolved resolveQuietly(Class<?> requestClass) {
        MethodHandle handle;
        try {
            handle = resolve(requestClass);
        } catch (Throwable e) { // reflection errors, linkage errors, access denied: all mean "not available"
            handle = null;
        }
        Resolved r = new Resolved(requestClass, handle);
        resolved = r;
        return r;
    }

    /** Loads a container class through the loader that defined the container's own object (not the webapp's). */
    static Class<?> containerClass(Class<?> anyContainerClass, String name) throws ClassNotFoundException {
        ClassLoader loader = anyContainerClass.getClassLoader();
        return Class.forName(name, false, loader);
    }
}
