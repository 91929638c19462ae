package dev.spillway.manager.it;

import static dev.spillway.manager.it.ScriptedFarm.OVER;
import static dev.spillway.manager.it.ScriptedFarm.QUIET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.Directive;
import dev.spillway.manager.Manager;
import dev.spillway.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dry run ({@code offload.enabled=false}) against a real manager and two scripted agents on real RMI connectors:
 * over an overload that a live manager answers with a permit (PermitRenewalTest), the manager logs and serves
 * "would grant a permit …" in its decision log, {@code /api/decisions} and {@code /metrics}, and no agent receives
 * any call at all (each agent appends every call it gets to a file).
 */
class DryRunTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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

    @Test
    void aDryRunSaysWhatItWouldGrantEverywhereAndSendsNothing() throws Exception {
        farm = new ScriptedFarm(dir);
        a = farm.agent("A", OVER);
        b = farm.agent("B", QUIET);
        Map<String, String> m = farm.managerSettings("300ms");
        m.put("offload.enabled", "false");
        manager = ScriptedFarm.startManager(m);

        Await.until("the decision log says A would be granted a permit to B", () -> manager.decisions().entries()
                .stream().anyMatch(e -> e.hostId().equals("A") && e.text().contains("would grant a permit: A may"
                        + " spill to B")));
        long decidedAt = manager.loop().cycles();
        Await.until("5 more cycles", () -> manager.loop().cycles() >= decidedAt + 5);

        String decisions = get("/api/decisions");
        assertTrue(decisions.contains("would grant a permit: A may spill to B"), decisions);
        String metrics = get("/metrics");
        assertTrue(metrics.contains("spillway_manager_dry_run 1"), metrics);
        assertTrue(metrics.contains("spillway_host_would_spill_budget{host=\"A\",target=\"B\"}"), metrics);
        Directive held = manager.views().stream().filter(v -> v.id().equals("A")).findFirst().orElseThrow()
                .directive();
        assertEquals(Directive.LOCAL, held, "nothing is in force from the manager");
        assertEquals(List.of(), farm.calls("A"), "A received nothing");
        assertEquals(List.of(), farm.calls("B"), "B received nothing");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(manager.httpUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }
}
