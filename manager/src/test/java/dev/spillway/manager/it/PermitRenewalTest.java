package dev.spillway.manager.it;

import static dev.spillway.manager.it.ScriptedFarm.OVER;
import static dev.spillway.manager.it.ScriptedFarm.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.Directive;
import dev.spillway.manager.HostView;
import dev.spillway.manager.Manager;
import dev.spillway.testkit.Await;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the manager sends a permit, against a real manager and two agents on real RMI connectors in this JVM: every
 * call an agent receives is appended with its arrival time to a file, so the test sees exactly what went over JMX.
 * An unchanged permit is renewed once half its lease has passed (not every cycle) and always before the lease ends;
 * a budget more than 10% away from the one sent goes out in the cycle that decides it; a smaller change waits.
 */
class PermitRenewalTest {

    @TempDir
    Path dir;
    private ScriptedFarm farm;
    private InProcessAgent a;
    private InProcessAgent b;
    private Manager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        if (farm != null) {
            farm.close();
        }
    }

    private void start(String interval, int leaseIntervals) throws Exception {
        farm = new ScriptedFarm(dir);
        a = farm.agent("A", OVER);
        b = farm.agent("B", QUIET);
        Map<String, String> m = farm.managerSettings(interval);
        m.put("lease.intervals", String.valueOf(leaseIntervals));
        manager = ScriptedFarm.startManager(m);
    }

    /** The permits agent A received, in order: arrival time and the call as the agent logged it. */
    private List<Received> permitsAtA() {
        return farm.calls("A").stream().filter(l -> l.contains(" PERMIT ")).map(Received::parse).toList();
    }

    private HostView viewOfA() {
        return manager.views().stream().filter(v -> v.id().equals("A")).findFirst().orElseThrow();
    }

    @Test
    void anUnchangedPermitIsRenewedAtHalfItsLeaseAndNeverRunsPastIt() throws Exception {
        // Lease 30 s, renewed once 15 s have passed (about every 30th cycle). Long, so that a stalled machine cannot
        // decide the outcome: only a stall of 15 s would run a permit past its lease, and only cycles of 7 s on
        // average would make the renewals as frequent as every second cycle.
        start("500ms", 60);
        long lease = manager.config().policy().leaseMillis();
        Await.until("A holds a permit to B", () -> !permitsAtA().isEmpty());
        long firstCycle = manager.loop().cycles();
        // first send and two renewals; bounded by four leases (not a speed requirement: it only catches "never")
        assertTrue(Await.eventually(4 * lease, () -> permitsAtA().size() >= 3),
                "renewed while it still holds: " + permitsAtA());
        long cycles = manager.loop().cycles() - firstCycle;
        List<Received> got = permitsAtA();

        assertTrue(got.size() <= cycles / 2 + 1, got.size() + " permits sent in " + cycles
                + " cycles with unchanged figures: renewed every cycle instead of at half the lease");
        for (int i = 1; i < got.size(); i++) {
            long gap = got.get(i).atMillis - got.get(i - 1).atMillis;
            assertTrue(gap < lease, "A ran " + gap + " ms on a " + lease + " ms lease without a renewal: " + got);
        }
        for (Received r : got) {
            assertEquals(got.get(0).call, r.call, "figures unchanged, so the same permit is renewed");
        }
    }

    @Test
    void aBigChangeInABudgetGoesOutInTheCycleThatDecidesItAndASmallOneWaits() throws Exception {
        start("500ms", 100);  // lease 50 s: no renewal due for 25 s, so any other send is a change
        long halfLease = manager.config().policy().leaseMillis() / 2;
        Await.until("A holds a permit to B", () -> !permitsAtA().isEmpty());
        Received first = permitsAtA().get(0);
        // A's need (250 - 0.8 x 200 = 90) and its floor, capped at 10% of its capacity (20): 110 of B's 140
        assertTrue(first.call.startsWith("PERMIT REDIRECT B [110.0]"), first.call);

        // B a little busier: 0.8 x 200 - 55 = 105/s to spare, all of it A's budget, within 10% of the 110/s sent
        b.setFigures(QUIET.replace("requestRate=20", "requestRate=55"));
        Await.until("the manager decided the smaller budget", () -> budgetToB(viewOfA().directive()) == 105.0);
        long decidedAt = manager.loop().cycles();
        Await.until("5 more cycles", () -> manager.loop().cycles() >= decidedAt + 5);
        assertEquals(List.of(first), permitsAtA(), "a change within 10% is not sent before the renewal is due");

        // B much busier: the cluster is at (250 + 100) / 400 of its capacity, so targets are filled to 0.875 of
        // theirs, and B has 0.875 x 200 - 100 = 75/s to spare
        b.setFigures(QUIET.replace("requestRate=20", "requestRate=100"));
        Await.until("the manager decided the new budget", () -> budgetToB(viewOfA().directive()) == 75.0);
        // A view is published after that cycle's sends: the new permit is already at A
        List<Received> got = permitsAtA();
        assertEquals(2, got.size(), "the big change was sent in the cycle that decided it: " + got);
        assertTrue(got.get(1).call.startsWith("PERMIT REDIRECT B [75.0]"), got.get(1).call);
        assertTrue(got.get(1).atMillis - first.atMillis < halfLease, "sent as a change, not as a renewal");
    }

    private static double budgetToB(Directive d) {
        int i = d.targets().indexOf("B");
        return i < 0 ? Double.NaN : d.budgets().get(i);
    }

    /** One call as the scripted agent logged it: "TIME PERMIT MODE TARGETS [BUDGETS] LEASE". */
    private record Received(long atMillis, String call) {
        static Received parse(String line) {
            int space = line.indexOf(' ');
            return new Received(Long.parseLong(line.substring(0, space)), line.substring(space + 1));
        }
    }
}
