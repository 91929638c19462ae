package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's {@code --managers 2}: two manager processes elect a leader on a real ZooKeeper server (its own process);
 * the agents register with both. Under the skewed load, the leader is killed with SIGKILL: the follower takes over
 * ({@code /api/leader}), the hot server gets permits from it again (a higher epoch on its filter) and goes on moving
 * requests, and no request fails.
 */
class ManagerFailoverIT {

    @Test
    void theFollowerTakesOverAndPermitsResumeWithNoFailedRequest() throws Exception {
        try (Cluster cluster = Cluster.start(Home.locate(), new Cluster.Settings(E2e.runDir("failover"), 0,
                Demo.THREADS, List.of(), false, 2));
             Load load = new Load(E2e.baseUrls(cluster));
             FilterProbe hot = cluster.probe(Demo.HOT)) {
            cluster.startManager(false);
            List<String> managers = cluster.dashboardUrls();
            E2e.await("one of the two managers leads", () -> modes(cluster, managers),
                    m -> m.stream().filter("leader"::equals).count() == 1 && m.contains("follower"));
            load.start("run", Demo.streams());

            FilterProbe.Reading first = E2e.await("the hot server moves requests under the leader's permit", hot::read,
                    f -> !"LOCAL".equals(f.mode()) && f.offloaded() > 0 && f.directiveEpoch() > 0);
            String killed = cluster.killLeader();
            assertNotNull(killed, "no manager led");
            String survivor = managers.get(managers.indexOf(killed) == 0 ? 1 : 0);

            String json = E2e.await("the follower takes over", () -> cluster.leaderJson(survivor),
                    j -> "leader".equals(Cluster.jsonField(j, "mode")));
            long newEpoch = Long.parseLong(Cluster.jsonField(json, "epoch"));
            assertTrue(newEpoch > first.directiveEpoch(), "the new leader's epoch " + newEpoch
                    + " is not above the one the filter had " + first);
            FilterProbe.Reading resumed = E2e.await("the hot server holds a permit of the new leader", hot::read,
                    f -> !"LOCAL".equals(f.mode()) && f.directiveEpoch() == newEpoch);
            E2e.await("the hot server moves requests under it", hot::read,
                    f -> f.offloaded() > resumed.offloaded() && f.directiveEpoch() == newEpoch);

            load.stop();
            assertTrue(load.awaitIdle(E2e.PATIENCE_MILLIS), "requests still under way");
            List<Load.Result> results = load.results();
            assertEquals(0, results.stream().filter(x -> x.error() != null).count(), E2e.errors(results));
            assertNotEquals(killed, survivor);
            System.out.println("failover: killed " + killed + " (epoch " + first.directiveEpoch() + "); " + survivor
                    + " leads at epoch " + newEpoch + "; " + results.size() + " requests, none failed");
        }
    }

    private static List<String> modes(Cluster cluster, List<String> managers) {
        return managers.stream().map(u -> String.valueOf(Cluster.jsonField(cluster.leaderJson(u), "mode"))).toList();
    }
}
