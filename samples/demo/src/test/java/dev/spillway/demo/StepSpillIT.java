package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The spill valve needs no manager round trip: with a standing permit granted in advance, a step into overload is
 * met by the hot server's own filter. The manager here cycles only every 20 s and has surge alerts off, so after
 * its first cycle granted the permits no other cycle runs while the test steps the load up; the hot server must
 * spill anyway, and no stateful or denied page may move. (What is asserted is that the move happened without a
 * cycle between the step and the spill, not how fast: speed is the benchmarks' business.) A light load runs first:
 * the manager sizes budgets from capacity, and capacity needs a service time, which only served requests give.
 * The step starts just after a cycle has ended (not merely after its permit arrived: a cycle sends before it
 * counts itself, and CI once read the count in between), so a whole interval passes before the next one.
 */
class StepSpillIT {

    @Test
    void aStepIntoOverloadSpillsBeforeTheManagerCyclesAgain() throws Exception {
        try (Cluster cluster = E2e.cluster(E2e.runDir("step-spill"));
             Load load = new Load(E2e.baseUrls(cluster));
             FilterProbe hot = cluster.probe(Demo.HOT)) {
            cluster.startManager(false, "--poll.interval=20s", "--poll.timeout=5s", "--hysteresis.surge=0");
            List<Load.Stream> light = Cluster.IDS.stream()
                    .map(id -> new Load.Stream(id, Load.Kind.PAGE, "/slow?ms=" + Demo.SLOW_MS, 10)).toList();
            load.start("light", light);
            FilterProbe.Reading permit = E2e.await("the hot server holds a standing permit", hot::read,
                    f -> !"LOCAL".equals(f.mode()) && !f.budgets().isEmpty());
            // The manager pushes a cycle's directives before it counts that cycle, so the count read now may be one
            // short. Wait for it to move: the step then starts as a cycle ends, a whole interval before the next.
            double seen = cluster.metric("spillway_manager_cycles_total");
            assertFalse(Double.isNaN(seen), "the manager's metrics did not answer");
            double cycles = E2e.await("the manager's next cycle ends", () -> cluster.metric(
                    "spillway_manager_cycles_total"), c -> c > seen);
            load.stop();
            long movedBefore = hot.read().offloaded();

            load.start("step", Demo.streams()); // a at well over its capacity from the first request
            FilterProbe.Reading spilled = E2e.await("the hot server spills", hot::read,
                    f -> f.offloaded() > movedBefore);
            double cyclesAtSpill = cluster.metric("spillway_manager_cycles_total");
            load.stop();
            assertTrue(load.awaitIdle(E2e.PATIENCE_MILLIS), "requests still under way");

            assertEquals(cycles, cyclesAtSpill, "a manager cycle ran between the step and the first spill");
            List<Load.Result> results = load.results().stream().filter(r -> "step".equals(r.phase())).toList();
            assertTrue(results.stream().anyMatch(Load.Result::moved), "no moved request reached a client");
            assertEquals(0, results.stream().filter(x -> x.kind() != Load.Kind.PAGE && x.moved()).count(),
                    "a cart or admin call was moved");
            assertEquals(0, results.stream().filter(x -> x.error() != null).count(), E2e.errors(results));
            System.out.println("permit " + permit.directive() + " in force after cycle " + (long) cycles + "; "
                    + spilled.offloaded() + " moved before cycle " + ((long) cycles + 1) + "; " + results.size()
                    + " requests, none failed");
        }
    }
}
