package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ContainerTimestampSourceTest {
    private static final long NOW = 50_000_000_000L;

    /** Resolves any request class to a fixed arrival time, counting resolutions; or to a handle that throws. */
    private static final class FixedArrival extends ContainerTimestampSource {
        final AtomicInteger resolutions = new AtomicInteger();
        final long arrival;
        final boolean throwing;

        FixedArrival(long arrival, boolean throwing) {
            this.arrival = arrival;
            this.throwing = throwing;
        }

        @Override
        MethodHandle resolve(Class<?> requestClass) {
            resolutions.incrementAndGet();
            MethodHandle h = throwing
                    ? MethodHandles.throwException(long.class, IllegalStateException.class)
                            .bindTo(new IllegalStateException("container changed"))
                    : MethodHandles.constant(long.class, arrival);
            return MethodHandles.dropArguments(h, 0, Object.class);
        }

        @Override
        public String name() {
            return "fixed";
        }
    }

    @Test
    void resolvesOncePerRequestClassAndReadsThroughWrappers() {
        FixedArrival source = new FixedArrival(NOW - TimeUnit.MILLISECONDS.toNanos(30), false);
        HttpServletRequest containerRequest = FakeRequests.plain();
        HttpServletRequest wrapped = new HttpServletRequestWrapper(new HttpServletRequestWrapper(containerRequest));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(30), source.delayNanos(wrapped, NOW));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(30), source.delayNanos(containerRequest, NOW));
        assertEquals(1, source.resolutions.get());
    }

    @Test
    void aThrowingHandleReadsUnknownAndIsNotRetried() {
        FixedArrival source = new FixedArrival(0, true);
        assertEquals(QueueDelaySource.UNKNOWN, source.delayNanos(FakeRequests.plain(), NOW));
        assertEquals(QueueDelaySource.UNKNOWN, source.delayNanos(FakeRequests.plain(), NOW));
        assertEquals(1, source.resolutions.get());
    }

    @Test
    void arrivalInTheFutureOrOverAnHourAgoIsUnknown() {
        assertEquals(QueueDelaySource.UNKNOWN, new FixedArrival(NOW + 1, false).delayNanos(FakeRequests.plain(), NOW));
        long twoHours = TimeUnit.HOURS.toNanos(2);
        assertEquals(QueueDelaySource.UNKNOWN,
                new FixedArrival(NOW - twoHours, false).delayNanos(FakeRequests.plain(), NOW));
    }

    @Test
    void containerSourcesSayUnknownForOtherRequests() {
        HttpServletRequest foreign = FakeRequests.plain();
        assertEquals(QueueDelaySource.UNKNOWN, new JettyRequestTimestamp().delayNanos(foreign, NOW));
        assertEquals(QueueDelaySource.UNKNOWN, new TomcatStartTime().delayNanos(foreign, NOW));
    }

    @Test
    void tomcatExecutorStaysUnknownForOtherRequests() {
        TomcatExecutorQueueLength tomcat = new TomcatExecutorQueueLength();
        tomcat.learnFrom(FakeRequests.plain());
        assertEquals(QueueLengthSource.UNKNOWN, tomcat.queueLength());
    }
}
