package dev.spillway.manager.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoordinationSettingsTest {

    private static CoordinationSettings from(Map<String, String> m) {
        return CoordinationSettings.from(ConfigValues.of(m));
    }

    @Test
    void withoutZooKeeperTheManagerRunsAlone() {
        CoordinationSettings s = from(Map.of());
        assertFalse(s.enabled());
        assertEquals("default", s.cluster());
    }

    @Test
    void readsAnEnsembleAClusterAndTimeouts() {
        CoordinationSettings s = from(Map.of("zookeeper.connect", "zk1:2181,zk2:2181/apps", "cluster.id", "shop-eu",
                "zookeeper.session.timeout", "3s", "zookeeper.connection.timeout", "500ms"));
        assertTrue(s.enabled());
        assertEquals("/spillway/shop-eu", s.root());
        assertEquals(3000, s.sessionMillis());
        assertEquals(500, s.connectionMillis());
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheExpectedForm() {
        assertRefused(Map.of("cluster.id", "../etc"), "cluster.id", "../etc", "1-64 characters");
        assertRefused(Map.of("cluster.id", ".."), "cluster.id", "..", "not . or ..");
        assertRefused(Map.of("zookeeper.connect", "zk1:2181 zk2:2181"), "zookeeper.connect", "zk1:2181 zk2:2181",
                "host:port");
        assertRefused(Map.of("zookeeper.session.timeout", "100ms"), "zookeeper.session.timeout", "100ms", "500ms");
        assertRefused(Map.of("zookeeper.session.timeout", "2s", "zookeeper.connection.timeout", "5s"),
                "zookeeper.connection.timeout", "5000ms", "at most zookeeper.session.timeout");
    }

    private static void assertRefused(Map<String, String> m, String key, String value, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> from(m));
        String msg = e.getMessage();
        assertTrue(msg.contains(key) && msg.contains(value) && msg.contains(expected), msg);
    }
}
