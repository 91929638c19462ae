package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.OffloadMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The policy at its defaults against a simulated host: a serves at most {@code CAPACITY} requests per second with a
 * FIFO backlog; what it does not move queues. The reaction benchmark (scenario 4) showed the fraction sawing up and
 * down under a steady 150% load: these tests hold it to a steady directive, and to LOCAL once the load falls.
 */
class SteadyOverloadTest {
    private static final double CAPACITY = 38;

    /** One second of a: its backlog, and what its agent reports. */
    private static final class Host {
        final java.util.Random noise = new java.util.Random(7);
        final double rateNoise;
        double backlog;

        Host(double rateNoise) {
            this.rateNoise = rateNoise;
        }

        HostLoad step(double offered, double fraction, boolean reportRate) {
            double local = offered * (1 - fraction);
            double served = Math.min(CAPACITY, backlog + local);
            backlog = Math.max(0, backlog + local - served);
            // the filter counts every request a worker takes up, moved ones too; moved ones hold a thread ~0 s
            double rate = backlog > 0 ? Math.min(offered, served / Math.max(1e-9, 1 - fraction)) : offered;
            double delayMs = backlog / CAPACITY * 1000;
            HostLoad.Builder b = HostLoad.builder("a").queueDelayMillis(delayMs).queueLength(backlog + served / 10);
            // a rate measured over one short sample is noisy: +-rateNoise, uniform
            double measured = rate * (1 + rateNoise * (2 * noise.nextDouble() - 1));
            return (reportRate ? b.requestRate(measured) : b).build();
        }
    }

    private record Run(int changesAfterSettling, Directive last, int localAfterDrop, double steadyFraction) {
    }

    private static Run run(boolean reportRate, double rateNoise) {
        Policy p = new Policy(PolicyConfig.defaults(1000));
        Host a = new Host(rateNoise);
        Directive applied = Directive.LOCAL;
        Directive previous = null;
        int changes = 0;
        int localAt = -1;
        double steady = Double.NaN;
        for (int sec = 0; sec < 400; sec++) {
            double offered = sec < 10 ? 19 : sec < 310 ? 57 : 19;   // 50% -> 150% -> 50%
            HostLoad la = a.step(offered, applied.mode() == OffloadMode.LOCAL ? 0 : applied.fraction(), reportRate);
            HostDecision d = p.decide(sec * 1000L, List.of(Observation.polled("a", "", la, false),
                    Observation.polled("b", "", HostLoad.builder("b").queueDelayMillis(0).queueLength(2)
                            .requestRate(10).build(), false),
                    Observation.polled("c", "", HostLoad.builder("c").queueDelayMillis(0).queueLength(2)
                            .requestRate(10).build(), false))).get(0);
            applied = d.directive();
            if (sec >= 70 && sec < 310 && previous != null && !same(previous, applied)) {
                changes++;
            }
            if (sec == 300) {
                steady = applied.mode() == OffloadMode.LOCAL ? 0 : applied.fraction();
            }
            if (sec >= 310 && localAt < 0 && applied.mode() == OffloadMode.LOCAL) {
                localAt = sec - 310;
            }
            if (sec >= 310 && applied.mode() != OffloadMode.LOCAL) {
                localAt = -1;
            }
            previous = applied;
        }
        return new Run(changes, applied, localAt, steady);
    }

    private static boolean same(Directive x, Directive y) {
        return x.mode() == y.mode() && x.targets().equals(y.targets()) && Math.abs(x.fraction() - y.fraction()) < 1e-9;
    }

    @Test
    void steadyOverloadGetsASteadyDirectiveAndLocalOnceTheLoadFalls() {
        Run r = run(true, 0);
        // 240 s of steady overload after a minute to settle: at most one change per 30 s
        assertTrue(r.changesAfterSettling() <= 8, "directive changes in 240 s of steady overload: " + r.changesAfterSettling());
        // enough moved that a's share fits its capacity: 57 x (1 - f) <= 38
        assertTrue(r.steadyFraction() >= 1 - CAPACITY / 57 - 1e-9, "fraction " + r.steadyFraction());
        assertTrue(r.steadyFraction() <= 0.6, "not far more than needed: " + r.steadyFraction());
        assertEquals(OffloadMode.LOCAL, r.last().mode());
        assertTrue(r.localAfterDrop() >= 0 && r.localAfterDrop() <= 30, "LOCAL " + r.localAfterDrop() + " s after the drop");
    }

    @Test
    void aNoisyRequestRateDoesNotWalkTheFractionDown() {
        // one 250 ms sample of 60 req/s is 15 requests: +-25% is ordinary
        Run r = run(true, 0.25);
        assertTrue(r.changesAfterSettling() <= 8, "directive changes in 240 s of steady overload: " + r.changesAfterSettling());
        assertEquals(OffloadMode.LOCAL, r.last().mode());
        assertTrue(r.localAfterDrop() >= 0 && r.localAfterDrop() <= 30, "LOCAL " + r.localAfterDrop() + " s after the drop");
    }

    @Test
    void withoutARequestRateTheFractionStillStepsDownAsBefore() {
        Run r = run(false, 0);
        assertTrue(r.changesAfterSettling() > 20, "the old saw: " + r.changesAfterSettling() + " changes");
        assertEquals(OffloadMode.LOCAL, r.last().mode());
    }

    @Test
    void holdsOnlyNearTheRateItOverloadedAt() {
        assertFalse(FractionController.holds(0.3, Double.NaN, 38), "no rate: step down");
        assertFalse(FractionController.holds(0.3, 57, Double.NaN), "no overload seen: step down");
        assertTrue(FractionController.holds(0.35, 57, 38), "57 x 0.65 = 37 is near 38");
        assertFalse(FractionController.holds(0.45, 57, 38), "57 x 0.55 = 31 < 0.9 x 38");
        assertFalse(FractionController.holds(0.0, 19, 38), "the load fell: step down to LOCAL");
        FractionController c = new FractionController(0.2, 0.1, 0.05);
        assertEquals(0.4, c.next(0.4, false, false, 57, 38), 1e-9, "hold");
        assertEquals(0.45, c.next(0.5, false, false, 57, 38), 1e-9, "57 x 0.55 = 31: step down");
        assertEquals(0.5, c.next(0.4, true, true, 57, 38), 1e-9, "overloaded: grow as before");
    }
}
