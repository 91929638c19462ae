package dev.spillway.agent.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.testing.FakeFilter;
import dev.spillway.agent.testing.MapMBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.Test;

class HostSamplerTest {
    private final MBeanServer mbs = MBeanServerFactory.newMBeanServer();
    private final AtomicLong clock = new AtomicLong(10_000);

    private FakeFilter filter(String context) throws Exception {
        FakeFilter f = new FakeFilter();
        mbs.registerMBean(new StandardMBean(f, FilterMXBean.class, true), ObjectNames.filter(context));
        return f;
    }

    private HostSampler sampler() {
        return new HostSampler("h", "z1", "http://h:8080", null, List.of(new JvmReader(new LocalJvm(mbs))), null,
                null, clock::get);
    }

    @Test
    void noFilterAndNoContainerMeansUnknownNotZero() {
        HostLoad l = sampler().sample();
        assertTrue(Double.isNaN(l.getQueueLength()), "queue " + l.getQueueLength());
        assertTrue(Double.isNaN(l.getQueueDelayMillis()));
        assertEquals(-1, l.getInFlight());
        assertEquals(-1, l.getActiveSessions());
        assertEquals(-1, l.getSessionCapacity());
        assertTrue(Double.isNaN(l.getRequestRate()));
        assertEquals(0, l.getFilters());
        assertEquals("h", l.getHostId());
        assertEquals("z1", l.getZone());
        assertEquals(10_000, l.getTimestampMillis());
    }

    @Test
    void containerWideQueuesAreNotAddedUpButPerWebappOnesAre() throws Exception {
        FakeFilter a = filter("/a");
        FakeFilter b = filter("/b");
        a.queueSource = "jetty-thread-pool";
        b.queueSource = "jetty-thread-pool";
        a.queueAverage = 7;
        b.queueAverage = 7.5;
        a.delay = 40;
        b.delay = 90;
        a.inFlight = 3;
        b.inFlight = 4;
        HostLoad shared = sampler().sample();
        assertEquals(7.5, shared.getQueueLength(), "the same pool seen by two webapps counts once");
        assertEquals(90, shared.getQueueDelayMillis(), "the worst delay");
        assertEquals(7, shared.getInFlight());
        assertEquals(2, shared.getFilters());

        HostSampler sampler = sampler();
        sampler.sample(); // the quick check reads the filters the last full sample found
        QueueFigures quick = sampler.queueFigures();
        assertEquals(shared.getQueueLength(), quick.queueLength(), "the quick check combines queues the same way");
        assertEquals(shared.getQueueDelayMillis(), quick.queueDelayMillis());

        a.queueSource = "in-flight";
        b.queueSource = "in-flight";
        assertEquals(14.5, sampler().sample().getQueueLength(), "per-webapp queues add up");
        assertEquals(14.5, sampler.queueFigures().queueLength());
    }

    @Test
    void quickQueueFiguresAreUnknownWithoutAFilter() {
        QueueFigures quick = sampler().queueFigures();
        assertTrue(Double.isNaN(quick.queueLength()) && Double.isNaN(quick.queueDelayMillis()), quick.toString());
    }

    @Test
    void theRuntimeCpuOfAWatchedJvmIsKnownFromItsSecondSample() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/"
                + ProcessHandle.current().pid() + "/task")), "needs Linux's /proc/PID/task; not present here");
        HostSampler s = new HostSampler("h", "z1", "http://h:8080", PlatformSampler.ofThisJvm(),
                List.of(new JvmReader(new LocalJvm(java.lang.management.ManagementFactory.getPlatformMBeanServer()))),
                null, null, clock::get);
        assertTrue(Double.isNaN(s.sample().getRuntimeCpu()), "no rate before a second reading");
        clock.addAndGet(1_000);
        double runtime = s.sample().getRuntimeCpu();
        assertTrue(runtime >= 0, "this JVM's JIT and GC threads were read: " + runtime);
    }

    @Test
    void ratesComeFromCounterDeltas() throws Exception {
        FakeFilter a = filter("/a");
        HostSampler s = sampler();
        a.requests = 100;
        a.errors = 1;
        assertTrue(Double.isNaN(s.sample().getRequestRate()), "no rate before a second reading");
        clock.addAndGet(2_000);
        a.requests = 300;
        a.errors = 5;
        HostLoad l = s.sample();
        assertEquals(100.0, l.getRequestRate(), 1e-9);
        assertEquals(2.0, l.getErrorRate(), 1e-9);
        clock.addAndGet(1_000);
        a.requests = 50; // redeployed: counters restarted
        assertEquals(50.0, s.sample().getRequestRate(), 1e-9);
    }

    @Test
    void theMovedInRateComesFromTheFiltersOwnCountInTheRequestRatesWindow() throws Exception {
        FakeFilter a = filter("/a");
        FakeFilter b = filter("/b");
        HostSampler s = sampler();
        a.requests = 100;
        a.movedIn = 10;
        b.requests = 0;
        b.movedIn = 0;
        assertTrue(Double.isNaN(s.sample().getMovedInRate()), "no rate before a second reading");
        clock.addAndGet(2_000);
        a.requests = 300;
        a.movedIn = 130;
        b.requests = 40;
        b.movedIn = 40;
        HostLoad l = s.sample();
        assertEquals(120.0, l.getRequestRate(), 1e-9);
        assertEquals(80.0, l.getMovedInRate(), 1e-9, "(120 + 40) moved in over 2 s, of (200 + 40) requests");
    }

    @Test
    void aFilterThatDoesNotCountItsMovedInRequestsMakesTheRateUnknown() throws Exception {
        FakeFilter counting = filter("/a");
        FakeFilter older = filter("/b");
        HostSampler s = sampler();
        counting.requests = 100;
        counting.movedIn = 0;
        older.requests = 100; // movedIn stays -1
        s.sample();
        clock.addAndGet(1_000);
        counting.requests = 200;
        counting.movedIn = 50;
        older.requests = 200;
        HostLoad l = s.sample();
        assertEquals(200.0, l.getRequestRate(), 1e-9);
        assertTrue(Double.isNaN(l.getMovedInRate()),
                "half the requests uncounted would read as the host's own load: " + l.getMovedInRate());
    }

    @Test
    void declinesAreReportedPerReasonAsRatesOverEveryFilter() throws Exception {
        FakeFilter a = filter("/a");
        FakeFilter b = filter("/b");
        HostSampler s = sampler();
        a.declined = java.util.Map.of("no-async-support", 10L, "response-committed", 0L);
        b.declined = java.util.Map.of("no-async-support", 1L, "response-committed", 4L);
        assertEquals(0, s.sample().getDeclineReasons().length, "no rate before a second reading");
        clock.addAndGet(2_000);
        a.declined = java.util.Map.of("no-async-support", 30L, "response-committed", 0L);
        b.declined = java.util.Map.of("no-async-support", 5L, "response-committed", 4L);
        HostLoad l = s.sample();
        assertEquals(java.util.List.of("no-async-support"), java.util.List.of(l.getDeclineReasons()),
                "only reasons that occurred in the interval");
        assertEquals(12.0, l.getDeclineRates()[0], 1e-9, "(20 + 4) declines in 2 s over both webapps");
    }

    @Test
    void directiveModesCombine() throws Exception {
        FakeFilter a = filter("/a");
        FakeFilter b = filter("/b");
        a.mode = "REDIRECT";
        b.mode = "REDIRECT";
        assertEquals("REDIRECT", sampler().sample().getDirectiveMode());
        b.mode = "LOCAL";
        assertEquals("MIXED", sampler().sample().getDirectiveMode());
    }

    @Test
    void containerMBeansGiveSessionsAndAQueueWhenNoFilterDoes() throws Exception {
        mbs.registerMBean(new MapMBean(Map.of("activeSessions", 12, "maxActiveSessions", 500)),
                new ObjectName("Catalina:type=Manager,context=/a,host=localhost"));
        mbs.registerMBean(new MapMBean(Map.of("queueSize", 9, "busyThreads", 200)),
                new ObjectName("org.eclipse.jetty.util.thread:type=queuedthreadpool,id=0"));
        HostLoad l = sampler().sample();
        assertEquals(12, l.getActiveSessions());
        assertEquals(500, l.getSessionCapacity());
        assertEquals(9, l.getQueueLength());
    }

    @Test
    void unlimitedSessionsAreAnUnknownCapacity() throws Exception {
        mbs.registerMBean(new MapMBean(Map.of("activeSessions", 3, "maxActiveSessions", -1)),
                new ObjectName("Tomcat:type=Manager,context=/a,host=localhost"));
        HostLoad l = sampler().sample();
        assertEquals(3, l.getActiveSessions());
        assertEquals(-1, l.getSessionCapacity());
    }

    private HostSampler samplerWithCapacity(long configured) {
        return new HostSampler("h", "z1", "http://h:8080", null, new HostCgroups(new CgroupLocator()),
                List.of(new JvmReader(new LocalJvm(mbs))), null, null, clock::get, configured);
    }

    @Test
    void configuredSessionCapacityStandsInWhereTheContainerReportsNone() throws Exception {
        mbs.registerMBean(new MapMBean(Map.of("activeSessions", 3, "maxActiveSessions", -1)),
                new ObjectName("Tomcat:type=Manager,context=/a,host=localhost"));
        assertEquals(200, samplerWithCapacity(200).sample().getSessionCapacity());
        assertEquals(-1, samplerWithCapacity(-1).sample().getSessionCapacity());
    }

    @Test
    void aLimitTheContainerReportsWinsOverTheConfiguredOne() throws Exception {
        mbs.registerMBean(new MapMBean(Map.of("activeSessions", 12, "maxActiveSessions", 500)),
                new ObjectName("Catalina:type=Manager,context=/a,host=localhost"));
        assertEquals(500, samplerWithCapacity(200).sample().getSessionCapacity());
    }
}
