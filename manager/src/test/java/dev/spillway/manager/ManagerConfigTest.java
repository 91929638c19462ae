package dev.spillway.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ManagerConfigTest {

    private static ConfigException refused(Map<String, String> m) {
        return assertThrows(ConfigException.class, () -> ManagerConfig.from(ConfigValues.of(m)));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ManagerConfig c = ManagerConfig.from(ConfigValues.empty());
        assertEquals("127.0.0.1", c.httpHost());
        assertEquals(9090, c.httpPort());
        assertEquals(1000, c.intervalMillis());
        assertEquals(800, c.pollTimeoutMillis());
        assertEquals(4000, c.policy().leaseMillis());
        assertEquals(200, c.policy().thresholds().queueDelayHighMs());
        assertEquals(3, c.policy().thresholds().enterAfter());
        assertEquals(5, c.policy().thresholds().leaveAfter());
        assertEquals(2.0, c.policy().thresholds().surge());
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheExpectedForm() {
        ConfigException e = refused(Map.of("poll.interval", "1000"));
        assertEquals("poll.interval", e.key());
        assertTrue(e.getMessage().contains("'1000'") && e.getMessage().contains("with a unit"), e.getMessage());
        assertEquals("poll.timeout", refused(Map.of("poll.interval", "1s", "poll.timeout", "1s")).key());
        assertEquals("threshold.cpu.low", refused(Map.of("threshold.cpu.high", "0.5", "threshold.cpu.low", "0.6")).key());
        assertEquals("offload.mode", refused(Map.of("offload.mode", "LOCAL")).key());
        assertEquals("hysteresis.surge", refused(Map.of("hysteresis.surge", "0.5")).key());
        assertEquals("polll.interval", refused(Map.of("polll.interval", "1s")).key(), "typos are refused");
        assertEquals("host.a.jmx", refused(Map.of("hosts", "a")).key(), "a configured host needs its URL");
        assertEquals("host.a.jmx", refused(Map.of("hosts", "a", "host.a.jmx", "rmi://x")).key());
    }

    @Test
    void aShortTokenIsRefusedWithoutBeingEchoed() {
        ConfigException e = refused(Map.of("token", "short-secret"));
        assertEquals("token", e.key());
        assertTrue(e.getMessage().contains("12 characters long; expected at least 16"), e.getMessage());
        assertTrue(!e.getMessage().contains("short-secret"), "the secret is in the message: " + e.getMessage());
    }

    @Test
    void secretsComeFromAFileOrTheEnvironmentAndStayOutOfToString() throws Exception {
        Path f = Files.createTempFile("token", "");
        Files.writeString(f, "a-token-from-a-file-0123\n");
        Path pw = Files.createTempFile("agentpw", "");
        Files.writeString(pw, "agents-password-in-a-file\n");
        ManagerConfig c = ManagerConfig.from(ConfigValues.of(Map.of("token", "file:" + f,
                "agent.jmx.password", "file:" + pw)));
        assertEquals("a-token-from-a-file-0123", c.token());
        assertEquals("agents-password-in-a-file", c.agentPassword());
        assertTrue(!c.toString().contains("a-token-from-a-file") && !c.toString().contains("agents-password"),
                c.toString());
        ConfigException env = refused(Map.of("agent.jmx.password", "env:SPILLWAY_TEST_UNSET_VARIABLE"));
        assertEquals("agent.jmx.password", env.key());
        assertTrue(env.getMessage().contains("an environment variable that is set"), env.getMessage());
        assertEquals("token", refused(Map.of("token", "file:/no/such/token")).key());
    }

    @Test
    void registrationSettingsAreChecked() {
        ConfigException e = refused(Map.of("registration.allow", "10.0.0.0/33"));
        assertEquals("registration.allow", e.key());
        assertTrue(e.getMessage().contains("'10.0.0.0/33' is not an address, CIDR block or host name"), e.getMessage());
        assertEquals("registration.allow", refused(Map.of("registration.allow", "10.0.0.*")).key());
        assertEquals("registration.maxHosts", refused(Map.of("registration.maxHosts", "-1")).key());
        ManagerConfig c = ManagerConfig.from(ConfigValues.of(Map.of("hosts", "a", "host.a.jmx",
                "service:jmx:rmi:///jndi/rmi://10.0.0.7:9010/jmxrmi")));
        assertTrue(c.registration().allow().allows("10.0.0.7"), "a configured host's address is allowed");
        assertTrue(c.registration().allow().allows("127.0.0.1") && c.registration().allow().allows("::1"));
        assertTrue(!c.registration().allow().allows("10.0.0.8"));
        ManagerConfig blocks = ManagerConfig.from(ConfigValues.of(Map.of("registration.allow",
                "10.1.0.0/16, fd00::/64, web-1.example.com")));
        assertTrue(blocks.registration().allow().allows("10.1.255.3"));
        assertTrue(!blocks.registration().allow().allows("10.2.0.1"));
        assertTrue(blocks.registration().allow().allows("fd00::17"));
        assertTrue(!blocks.registration().allow().allows("fd00:0:0:1::17"));
        assertTrue(blocks.registration().allow().allows("WEB-1.example.com"));
        assertTrue(!blocks.registration().allow().allows("127.0.0.1"), "an explicit list replaces the default");
        assertTrue(!blocks.registration().allow().allows("2130706433"), "no numeric address tricks");
    }

    @Test
    void mainReportsStartupErrorsAndExitsWithTwo() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--http.port", "http"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(
                "spillway-manager: http.port = 'http' is not valid; expected a whole number"), err.toString());
        assertEquals(2, Main.run(new String[] {"--config", "/no/such/file"}, System.out,
                new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void helpListsEveryKeyAndTheExampleFileParsesWithTheDefaults() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String key : ManagerConfig.KEYS) {
            assertTrue(help.contains("#" + key + "="), "--help / conf/manager.properties lacks " + key);
        }
        // Uncommenting every default in the example must give exactly the built-in defaults.
        StringBuilder uncommented = new StringBuilder();
        Matcher m = Pattern.compile("(?m)^#([a-zA-Z.]+=.*)$").matcher(help);
        while (m.find()) {
            if (!m.group(1).startsWith("host") ) {
                uncommented.append(m.group(1)).append('\n');
            }
        }
        Path f = Files.createTempFile("manager", ".properties");
        Files.writeString(f, uncommented);
        assertEquals(ManagerConfig.from(ConfigValues.empty()), ManagerConfig.from(ConfigValues.load(f, "--config")));
    }
}
