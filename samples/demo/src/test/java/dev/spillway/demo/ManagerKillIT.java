package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The manager dies (SIGKILL) while the hot server offloads: nobody renews the directive, which ends by itself within
 * its lease (4 poll intervals), the server goes back to serving everything itself, and no request fails.
 *
 * <p>"Back to local" is checked on requests, not on a clock: a request sent after the filter read LOCAL arrived after
 * the lease ended, so it must be served by the hot server; the filter's own count may still grow only by requests
 * that the load saw moved after that reading began (chosen before the lease ended, however long they took).
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
            FilterProbe.Reading atKill = E2e.await("the hot server's figures", hot::read, f -> true);
            List<FilterProbe.Reading> after = new ArrayList<>();
            long[] readingStarted = new long[1];
            FilterProbe.Reading local = E2e.await("the directive ends without its manager", () -> {
                readingStarted[0] = System.nanoTime();
                FilterProbe.Reading f = hot.read();
                if (f != null) {
                    after.add(f);
                }
                return f;
            }, f -> "LOCAL".equals(f.mode()));
            long localFrom = readingStarted[0];
            long leaseEndedBy = System.nanoTime();

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
            // Back to local for good: nothing sent after the lease ended is moved while the load goes on.
            List<Load.Result> sentAfter = E2e.await("500 pages sent to the hot server after its lease ended answered",
                    () -> pagesToHot(load.results(), r -> r.dueNanos() > leaseEndedBy), l -> l.size() >= 500);
            FilterProbe.Reading later = E2e.await("the hot server's figures", hot::read, f -> true);
            assertEquals("LOCAL", later.mode(), later.toString());

            load.stop();
            assertTrue(load.awaitIdle(E2e.PATIENCE_MILLIS), "requests still under way");
            List<Load.Result> results = load.results();
            List<Load.Result> movedAfter = sentAfter.stream().filter(Load.Result::moved).toList();
            assertEquals(0, movedAfter.size(), "requests sent after the lease ended were moved, e.g. "
                    + movedAfter.stream().limit(3).toList());
            List<Load.Result> movedSince = pagesToHot(results,
                    r -> r.moved() && r.dueNanos() + r.firstAnswerNanos() >= localFrom);
            long countedSince = E2e.await("the hot server's figures", hot::read, f -> true).offloaded()
                    - local.offloaded();
            assertTrue(countedSince <= movedSince.size(), "the hot server moved " + countedSince
                    + " requests after it read LOCAL, but the load saw only " + movedSince.size() + " moved since");
            assertTrue(results.size() > 1000, "too little load to tell: " + results.size());
            assertTrue(results.stream().anyMatch(Load.Result::moved), "nothing was moved before the kill");
            assertEquals(0, results.stream().filter(x -> x.error() != null).count(), E2e.errors(results));
            System.out.println("manager killed with " + atKill.directive() + ", " + atKill.leaseRemainingMillis()
                    + " ms of lease left; LOCAL after " + after.size() + " readings; " + results.size()
                    + " requests, none failed; local reading " + local + "; " + movedSince.size()
                    + " chosen before the lease ended were answered after");
        }
    }

    private static List<Load.Result> pagesToHot(List<Load.Result> results, Predicate<Load.Result> which) {
        return results.stream().filter(r -> r.kind() == Load.Kind.PAGE && Demo.HOT.equals(r.hit()))
                .filter(which).toList();
    }
}
