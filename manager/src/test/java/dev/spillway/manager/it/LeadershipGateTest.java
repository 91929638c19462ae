package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.manager.ControlLoop;
import dev.spillway.manager.DecisionLog;
import dev.spillway.manager.History;
import dev.spillway.manager.HostView;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.manager.coordination.Leadership;
import dev.spillway.manager.coordination.LeadershipStatus;
import dev.spillway.manager.policy.HostState;
import dev.spillway.manager.poll.AgentConnector;
import dev.spillway.manager.poll.AgentPoller;
import dev.spillway.manager.poll.HostTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control loop's one question to {@link Leadership}, against two scripted agents on real JMX connectors: while
 * it may not send (a follower) it decides but nothing reaches any agent; once it leads, its next cycle sends the
 * permit stamped with its epoch; when it loses the lead, it stops again.
 */
class LeadershipGateTest {
    private static final String HOT = "queueDelayMillis=300\nqueueLength=5\nsystemCpu=0.5\nrequestRate=250\n";
    private static final String IDLE = "queueDelayMillis=10\nqueueLength=0\nsystemCpu=0.1\nrequestRate=20\n";

    /** A leadership the test switches by hand. */
    private static final class Switch implements Leadership {
        volatile long epoch = NOT_LEADING;

        @Override public long sendingEpoch() { return epoch; }
        @Override public LeadershipStatus status() { return LeadershipStatus.SOLE; }
        @Override public void close() { }
    }

    @TempDir
    Path dir;

    @Test
    void onlyALeaderSendsAndItsEpochGoesWithIt() throws Exception {
        try (InProcessAgent a = InProcessAgent.start(dir, "A", HOT);
             InProcessAgent b = InProcessAgent.start(dir, "B", IDLE)) {
            ManagerConfig config = ManagerConfig.from(ConfigValues.of(Map.of("hosts", "A,B", "host.A.jmx", a.url,
                    "host.B.jmx", b.url, "hysteresis.enter", "2", "http.port", "0", "jmx.port", "0")));
            Path sent = dir.resolve("A.directives");
            Switch lead = new Switch();
            try (AgentPoller poller = new AgentPoller(AgentConnector.plain(), 4)) {
                ControlLoop loop = new ControlLoop(config, new HostTable(config.hosts(), config.expiryMillis()),
                        poller, new DecisionLog(10), new History(10), lead);
                try {
                    for (int i = 0; i < 10 && !overloadedWithPermit(loop); i++) {
                        loop.runCycleNow();
                    }
                    assertTrue(overloadedWithPermit(loop), "the follower decided A needs a permit: " + loop.views());
                    assertEquals(List.of(), lines(sent), "but sent nothing");

                    lead.epoch = 7;
                    loop.runCycleNow();
                    List<String> got = lines(sent);
                    assertTrue(got.size() >= 2 && got.get(0).contains(" PERMIT REDIRECT B")
                            && got.get(1).equals("epoch=7"), "the leader's first cycle sends under epoch 7: " + got);

                    lead.epoch = Leadership.NOT_LEADING;
                    int before = lines(sent).size();
                    for (int i = 0; i < 6; i++) {   // past a renewal: the lead is lost, nothing more goes out
                        loop.runCycleNow();
                    }
                    assertEquals(before, lines(sent).size(), "no renewal without the lead: " + lines(sent));
                } finally {
                    loop.close();
                }
            }
        }
    }

    private static boolean overloadedWithPermit(ControlLoop loop) {
        List<HostView> views = loop.views();
        return views.size() == 2 && views.get(0).state() == HostState.OVERLOADED && views.get(0).directive().isPermit();
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
