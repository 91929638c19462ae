package dev.spillway.manager.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection to an agent costs no thread of its own (a manager holds one per host), and a dead agent is still
 * found by the next poll, which drops its connection.
 */
class AgentConnectionTest {

    @Test
    void connectionsStartNoHeartbeatThreadsAndADeadAgentIsFoundByThePoll() throws Exception {
        List<StandInAgent> agents = new ArrayList<>();
        List<HostEntry> hosts = new ArrayList<>();
        try (AgentPoller poller = new AgentPoller(AgentConnector.plain(), 2)) {
            for (int i = 0; i < 3; i++) {
                StandInAgent a = StandInAgent.serve(new StandInAgent.Reporting(HostLoad.builder("h" + i).build()),
                        AgentMXBean.class);
                agents.add(a);
                hosts.add(a.entry("h" + i));
            }
            long heartbeatsBefore = heartbeatThreads();
            for (PollResult r : poller.pollAll(hosts, 20_000)) {
                assertNull(r.error(), r.id() + ": " + r.error());
            }
            assertEquals(3, poller.openConnections());
            assertEquals(heartbeatsBefore, heartbeatThreads(), "three connections, no heartbeat thread for any");

            agents.get(1).close();
            List<PollResult> after = poller.pollAll(hosts, 20_000);
            assertNull(after.get(0).error());
            assertNotNull(after.get(1).error(), "the stopped agent's poll fails");
            assertNull(after.get(2).error());
            assertEquals(2, poller.openConnections(), "and its connection is dropped");
        } finally {
            agents.forEach(StandInAgent::close);
        }
    }

    private static long heartbeatThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("JMX client heartbeat")).count();
    }
}
