package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The manager dies (SIGKILL) while the hot server offloads: nobody renews the directive, which ends by itself within
 * its lease (4 poll intervals), the server goes back to serving everything itself, and no request fails.
 */
class ManagerKillIT {
    static final long LEASE_MILLIS = 4 * 1000; // the defaults (conf/demo/manager.properties sets neither): 4 x 1 s

    @Test
    void offloadingStopsWithinTheLeaseAndNoRequestFails() throws Exception {
        try (Cluster cluster = E2e.cluster(E2e.runDir("manager-kill"));
             Load load = new Load(E2e.baseUrls(cluster));
             FilterProbe hot = cluster.probe(Demo.HOT)) {
            cluster.startManager(false);
            load.start("run", Demo.streams());

            E2e.await("the hot server offloads", hot::read, f -> !"LOCAL".equals(f.mode()) && f.offloaded() > 0);
            cluster.killManager(); // returns once the process is gone
            FilterProbe.Reading atKill = hot.read();
            List<FilterProbe.Reading> after = new ArrayList<>();
            FilterProbe.Reading local = E2e.await("the directive ends without its manager", () -> {
                FilterProbe.Reading f = hot.read();
                if (f != null) {
                    after.add(f);
                }
                return f;
            }, f -> "LOCAL".equals(f.mode()));

            // Ended by its lease, not renewed: what was left of it at the kill is at most one lease, and it only shrank.
            if (!"LOCAL".equals(atKill.mode())) {
                assertTrue(atKill.leaseRemainingMillis() <= LEASE_MILLIS,
                        "a directive outlives its manager by more than the lease: " + atKill);
                long previous = atKill.leaseRemainingMillis();
                for (FilterProbe.Reading f : after) {
                    if (!"LOCAL".equals(f.mode())) {
                        assertTrue(f.leaseRemainingMillis() <= previous, "the directive was renewed: " + after);
                        previous = f.leaseRemainingMillis();
                    }
                }
            }
            // Back to local for good: nothing is moved any more while the load goes on.
            Thread.sleep(500); // requests chosen just before the lease ended may still be on their way
            long offloaded = hot.read().offloaded();
            Thread.sleep(3_000);
            FilterProbe.Reading later = hot.read();
            assertEquals("LOCAL", later.mode(), later.toString());
            assertEquals(offloaded, later.offloaded(), "requests were still moved after the lease ended");

            load.stop();
            assertTrue(load.awaitIdle(E2e.PATIENCE_MILLIS), "requests still under way");
            List<Load.Result> results = load.results();
            assertTrue(results.size() > 1000, "too little load to tell: " + results.size());
            assertTrue(results.stream().anyMatch(Load.Result::moved), "nothing was moved before the kill");
            assertEquals(0, results.stream().filter(x -> x.error() != null).count(), E2e.errors(results));
            System.out.println("manager killed with " + atKill.directive() + ", " + atKill.leaseRemainingMillis()
                    + " ms of lease left; LOCAL after " + after.size() + " readings; " + results.size()
                    + " requests, none failed; local reading " + local);
        }
    }
}
