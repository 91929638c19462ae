package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The spare pool end to end, in the demo's processes: servers a, b, c and the spare d (in every filter's peers, in the
 * manager's pool.spares), the manager with conf/demo/manager-pool.properties. While a offloads under phase 2's load and
 * then under a load no member has room for, d receives nothing until the manager has allocated it; after that it
 * serves requests moved from a; when the load falls it is released; the membership file and the hook's record say
 * so; no request fails.
 */
class SparePoolIT {

    @Test
    void theSpareJoinsUnderLoadAndLeavesWhenItFalls() throws Exception {
        Path dir = E2e.runDir("spare-pool");
        try (Cluster cluster = Cluster.start(Home.locate(), new Cluster.Settings(dir, 0, Demo.THREADS, List.of(), true,
                1));
             Load load = new Load(E2e.baseUrls(cluster));
             FilterProbe hot = cluster.probe(Demo.HOT);
             FilterProbe spare = cluster.probe(Cluster.SPARE)) {
            cluster.startManager(false);
            Path file = cluster.membershipFile();
            String atStart = Files.readString(file);
            assertTrue(atStart.contains("spare d") && !atStart.contains("member d"), "d does not start in the pool: "
                    + atStart);

            // Watch d for the whole test: its filter's request count, read before the manager's allocation counter;
            // while the counter says "not allocated" after the read, nothing may have reached d (it is sent no load).
            AtomicLong receivedWhileSpare = new AtomicLong();
            AtomicLong checks = new AtomicLong();
            Thread watcher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    FilterProbe.Reading d = spare.read();
                    double allocations = cluster.metric("spillway_pool_allocations_total");
                    if (d != null && allocations == 0) {
                        receivedWhileSpare.accumulateAndGet(d.requests(), Math::max);
                        checks.incrementAndGet();
                    }
                    if (allocations >= 1) {
                        return;
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "spare-watch");
            watcher.start();

            load.start("on", Demo.streams());
            E2e.await("a moves requests to b or c while d waits in the pool", hot::read, f -> f.offloaded() > 50);
            load.stop();
            load.start("high", SparePhase.highLoad());
            E2e.await("the manager allocates d", () -> cluster.metric("spillway_pool_allocations_total"), n -> n >= 1);
            watcher.join(10_000);
            assertTrue(checks.get() > 0, "d was never read while in the pool");
            assertEquals(0, receivedWhileSpare.get(), "d received requests before its allocation");
            String allocatedFile = Files.readString(file);
            assertTrue(allocatedFile.contains("member d"), "the file does not list d as a member: " + allocatedFile);
            E2e.await("d serves requests moved from a", () -> load.results().stream()
                    .filter(r -> Demo.HOT.equals(r.hit()) && Cluster.SPARE.equals(r.servedBy())).count(), n -> n > 20);

            load.stop();
            load.start("fallen", SparePhase.fallenLoad());
            E2e.await("the manager releases d", () -> cluster.metric("spillway_pool_releases_total"), n -> n >= 1);
            String releasedFile = E2e.await("the file lists d back in the pool", () -> read(file),
                    t -> t.contains("spare d"));
            assertTrue(!releasedFile.contains("member d") && releasedFile.contains("member a"), releasedFile);
            List<String> hooks = E2e.await("the hook records the release", () -> lines(dir.resolve(Cluster.HOOK_LOG)),
                    l -> l.stream().anyMatch(x -> x.contains(" release d ")));
            String web = cluster.server(Cluster.SPARE).baseUrl();
            String jmx = cluster.server(Cluster.SPARE).agentJmxUrl();
            assertEquals(2, hooks.size(), "one allocation and one release: " + hooks);
            assertTrue(hooks.get(0).endsWith(" allocate d " + web + " " + jmx), hooks.toString());
            assertTrue(hooks.get(1).endsWith(" release d " + web + " " + jmx), hooks.toString());

            load.stop();
            assertTrue(load.awaitIdle(E2e.PATIENCE_MILLIS), "requests still under way");
            List<Load.Result> results = load.results();
            assertEquals(0, results.stream().filter(x -> x.error() != null).count(), E2e.errors(results));
            System.out.println("spare pool: " + results.size() + " requests, none failed; d served "
                    + results.stream().filter(r -> Cluster.SPARE.equals(r.servedBy())).count() + "; hooks " + hooks
                    + "; file:\n" + releasedFile);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
