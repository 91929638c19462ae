package dev.spillway.manager.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.settings.ConfigValues;
import dev.spillway.testkit.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code sessions.threshold} against a real manager polling in-process scripted agents over RMI: a host whose
 * reported sessions reach the threshold's share of its session capacity leaves the route (and with it the name
 * answers, which are the same order), comes back once its sessions fall, and a host of unknown capacity is never held
 * back however many sessions it has.
 */
class SessionThresholdTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    static String figures(long sessions, long capacity) {
        return "systemCpu=0.2\nqueueDelayMillis=1\nactiveSessions=" + sessions + "\nsessionCapacity=" + capacity + "\n";
    }

    @Test
    void aHostAtItsSessionThresholdIsNoRouteUntilItsSessionsFall() throws Exception {
        Path dir = Files.createTempDirectory("spillway-sessions");
        try (InProcessAgent full = InProcessAgent.start(dir, "full", figures(80, 100));
             InProcessAgent room = InProcessAgent.start(dir, "room", figures(79, 100));
             InProcessAgent unknown = InProcessAgent.start(dir, "unknown", figures(5_000, -1))) {
            Map<String, String> m = new HashMap<>();
            m.put("http.port", "0");
            m.put("jmx.port", "0");
            m.put("poll.interval", "1s");
            m.put("sessions.threshold", "0.8");
            m.put("hosts", "full,room,unknown");
            for (InProcessAgent a : List.of(full, room, unknown)) {
                m.put("host." + a.id + ".jmx", a.url);
            }
            try (Manager manager = Manager.start(ManagerConfig.from(ConfigValues.of(m)),
                    MBeanServerFactory.newMBeanServer())) {
                // 80 of 100 is at 0.8 × 100: out; 79 is under it; unknown capacity limits nothing
                Await.until("route = room and unknown, without the host at its threshold",
                        () -> Set.copyOf(routeIds(manager)).equals(Set.of("room", "unknown")));
                full.setFigures(figures(10, 100));
                Await.until("the host is a route again once its sessions fall under the threshold",
                        () -> routeIds(manager).contains("full"));
            }
        }
    }

    private List<String> routeIds(Manager manager) {
        try {
            JsonNode route = JSON.readTree(http.send(HttpRequest.newBuilder(
                    URI.create(manager.httpUrl() + "/api/route")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            List<String> ids = new ArrayList<>();
            route.forEach(h -> ids.add(h.get("id").asText()));
            return ids;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
