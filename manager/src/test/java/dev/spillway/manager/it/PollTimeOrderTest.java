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
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;

/**
 * The poll-time term against a real manager polling two in-process scripted agents over RMI with the same figures,
 * one of which answers each poll at least 300 ms late: {@code /api/hosts} shows its poll time, and {@code /api/route}
 * puts it after the prompt one, although the id tie-break would put it first; the order follows when the two swap.
 */
class PollTimeOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    static String figures(long answerDelayMillis) {
        return "systemCpu=0.2\nqueueDelayMillis=1\nanswerDelayMillis=" + answerDelayMillis + "\n";
    }

    @Test
    void anAgentSlowToAnswerItsPollIsRoutedAfterAPromptOne() throws Exception {
        Path dir = Files.createTempDirectory("spillway-polltime");
        // ids chosen so that the tie-break (by id) alone would put the slow host first
        try (InProcessAgent slow = InProcessAgent.start(dir, "a-slow", figures(300));
             InProcessAgent prompt = InProcessAgent.start(dir, "b-prompt", figures(0))) {
            Map<String, String> m = new HashMap<>();
            m.put("http.port", "0");
            m.put("jmx.port", "0");
            m.put("poll.interval", "1s");
            m.put("selection.spread", "0");
            m.put("hosts", "a-slow,b-prompt");
            m.put("host.a-slow.jmx", slow.url);
            m.put("host.b-prompt.jmx", prompt.url);
            try (Manager manager = Manager.start(ManagerConfig.from(ConfigValues.of(m)),
                    MBeanServerFactory.newMBeanServer())) {
                Await.until("/api/hosts shows the slow agent's poll time (at least its 300 ms delay)",
                        () -> pollMs(manager, "a-slow") >= 300 && pollMs(manager, "b-prompt") >= 0);
                Await.until("the prompt host is routed first", () -> routeIds(manager)
                        .equals(List.of("b-prompt", "a-slow")));
                slow.setFigures(figures(0));
                prompt.setFigures(figures(300));
                Await.until("the order follows when the two swap", () -> routeIds(manager)
                        .equals(List.of("a-slow", "b-prompt")));
            }
        }
    }

    private JsonNode get(Manager manager, String path) {
        try {
            return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(manager.httpUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            return JSON.createArrayNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createArrayNode();
        }
    }

    /** The host's {@code pollMs} on /api/hosts, or -1 while it is unknown. */
    private double pollMs(Manager manager, String id) {
        for (JsonNode h : get(manager, "/api/hosts")) {
            if (id.equals(h.get("id").asText()) && h.get("pollMs").isNumber()) {
                return h.get("pollMs").asDouble();
            }
        }
        return -1;
    }

    private List<String> routeIds(Manager manager) {
        List<String> ids = new ArrayList<>();
        get(manager, "/api/route").forEach(h -> ids.add(h.get("id").asText()));
        return ids;
    }
}
