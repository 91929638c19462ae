package dev.spillway.filter.probe;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a request's queue delay comes from: the time between its arrival (at the container's connector, or at a
 * trusted front proxy) and now. Implementations are called on every request: they must not allocate, lock or throw.
 */
public interface QueueDelaySource {
    /** Returned when this source knows nothing about the request. Never confused with a real delay of 0. */
    long UNKNOWN = -1;

    /** @return nanoseconds from the request's arrival to {@code nowNanos} ({@code System.nanoTime()} scale), or -1 */
    long delayNanos(HttpServletRequest request, long nowNanos);

    /** Short stable name reported by {@link LoadProbe#queueDelaySource()}. */
    String name();
}
