package dev.spillway.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spillway.settings.ConfigValues;
import dev.spillway.manager.poll.AgentConnector;
import dev.spillway.manager.poll.AgentPoller;
import dev.spillway.manager.poll.HostTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Cycles driven from outside run on the cycle thread, one at a time: many callers at once lose no count. */
class ControlLoopThreadTest {
    @Test
    void cyclesDrivenFromManyThreadsRunOneAtATime() throws Exception {
        ManagerConfig config = ManagerConfig.from(ConfigValues.of(Map.of("http.port", "0", "jmx.port", "0")));
        AgentPoller poller = new AgentPoller(new AgentConnector("", "", false), 2);
        ControlLoop loop = new ControlLoop(config, new HostTable(List.of(), 60_000), poller, new DecisionLog(10),
                new History(10));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(callers.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        loop.runCycleNow();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertEquals(1000, loop.cycles());
        } finally {
            callers.shutdownNow();
            loop.close();
            poller.close();
        }
        assertThrows(IllegalStateException.class, loop::runCycleNow, "a closed loop runs no cycle");
    }
}
