package dev.spillway.filter;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.filter.peers.ThisHost;
import dev.spillway.filter.rules.PageRules.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterSettingsTest {
    private static final String SECRET = "0123456789abcdef0123";

    private static FilterSettings parse(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return FilterSettings.from(ConfigValues.of(m), FilterSettings.KEYS);
    }

    private static ConfigException refused(String... kv) {
        return assertThrows(ConfigException.class, () -> parse(kv));
    }

    @Test
    void defaultsMoveOnlyGetAndHeadAndKeepSessionsHere() {
        FilterSettings s = parse();
        assertEquals(List.of("GET", "HEAD"), s.methods());
        assertTrue(s.keepSessionsLocal());
        assertTrue(s.peers().isEmpty());
        assertEquals(30_000, s.hopTtlMillis());
        assertEquals(10_000, s.loadWindowMillis());
        assertEquals(Verdict.MOVABLE, s.pageRules().judge("/anything"));
    }

    @Test
    void fullConfigurationIsRead() {
        FilterSettings s = parse("allow", "/catalog/*, *.html", "deny", "/admin/*", "stateful", "/cart/*",
                "methods", "get, head, options", "keepSessionsLocal", "false",
                "peers", "b=http://127.0.0.1:8081/shop c=http://127.0.0.1:8082", "hopSecret", SECRET,
                "hopTtl", "5s", "trustedProxies", "10.0.0.0/8", "loadWindow", "30s");
        assertEquals(List.of("GET", "HEAD", "OPTIONS"), s.methods());
        assertFalse(s.keepSessionsLocal());
        assertEquals("b", s.peers().get(0).id());
        assertEquals("http://127.0.0.1:8082", s.peers().get(1).baseUrl());
        assertEquals(5_000, s.hopTtlMillis());
        assertTrue(s.trustedProxies().trusts("10.1.2.3"));
        assertEquals(Verdict.DENIED, s.pageRules().judge("/admin/x"));
        assertEquals(Verdict.NOT_ALLOWED, s.pageRules().judge("/search"));
    }

    @Test
    void aRegexMayContainCommasAndEndsAtWhitespace() {
        assertEquals(List.of("regex:/a{1,3}", "/b/*", "*.jsp"),
                FilterSettings.ruleEntries(" regex:/a{1,3}, /b/*,*.jsp "));
        FilterSettings s = parse("deny", "regex:/v[0-9]{1,2}/admin.* /x");
        assertEquals(Verdict.DENIED, s.pageRules().judge("/v12/admin/users"));
        assertEquals(Verdict.DENIED, s.pageRules().judge("/x"));
    }

    @Test
    void thisHostIsSelfElseTheAgentHostIdElseUnknown() {
        Set<String> keys = new java.util.HashSet<>(FilterSettings.KEYS);
        keys.add("agent.host.id");
        assertEquals(ThisHost.UNKNOWN, parse().thisHost());
        assertEquals("web-2", parse("self", "web-2").thisHost().id());
        assertEquals("web-3", FilterSettings.from(ConfigValues.of(Map.of("agent.host.id", "web-3")), keys)
                .thisHost().id());
        assertEquals("web-2", FilterSettings.from(ConfigValues.of(Map.of("agent.host.id", "web-3", "self", "web-2")),
                keys).thisHost().id(), "self wins");
        assertMessage(refused("self", "a b"), "self", "'a b'", "peer id");
        assertMessage(refused("self", "x=y"), "self", "'x=y'", "peer id");
    }

    @Test
    void eachBadSettingNamesItsKeyAndTheExpectedForm() {
        assertMessage(refused("allow", "catalog"), "allow", "'catalog'", "url-pattern");
        assertMessage(refused("deny", "/a/*/b"), "deny", "'/a/*/b'", "expected");
        assertMessage(refused("stateful", "regex:(x"), "stateful", "regex", "expected");
        assertMessage(refused("methods", "GET;POST"), "methods", "GET;POST", "HTTP method");
        assertMessage(refused("keepSessionsLocal", "yes"), "keepSessionsLocal", "'yes'", "true or false");
        assertMessage(refused("peers", "ftp://x"), "peers", "ftp://x", "http or https");
        assertMessage(refused("peers", "b=http://h:1 b=http://h:2", "hopSecret", SECRET), "peers", "twice");
        assertMessage(refused("hopTtl", "30"), "hopTtl", "'30'", "unit");
        assertMessage(refused("hopTtl", "0s"), "hopTtl", "'0s'", "from 1000ms");
        assertMessage(refused("trustedProxies", "proxy.example"), "trustedProxies", "proxy.example", "CIDR");
        assertMessage(refused("loadWindow", "1h"), "loadWindow", "'1h'", "to 600000ms");
    }

    @Test
    void theCommentedExampleInConfParsesAndMeansWhatItSays() {
        ConfigValues example = ConfigValues.load(java.nio.file.Path.of("../conf/filter.properties"), "config");
        FilterSettings s = FilterSettings.from(example, OffloadFilter.knownKeys());
        assertEquals(250, dev.spillway.filter.forward.ForwardSettings.from(example).connectTimeoutMillis());
        assertEquals(dev.spillway.filter.forward.ForwardSettings.DEFAULT_PROXY_CLIENT,
                dev.spillway.filter.forward.ForwardSettings.from(example).proxyClient());
        assertEquals(Verdict.DENIED, s.pageRules().judge("/admin/users"));
        assertEquals(Verdict.STATEFUL, s.pageRules().judge("/shop/checkout.do"));
        assertEquals(List.of("GET", "HEAD"), s.methods());
    }

    @Test
    void aTypoIsAnErrorNotASilentlyIgnoredRule() {
        assertMessage(refused("denny", "/admin/*"), "denny", "not a known setting", "deny");
    }

    @Test
    void peersNeedASharedSecretAndItIsNeverEchoed() {
        assertMessage(refused("peers", "b=http://h:1"), "hopSecret", "missing", "same on every host");
        ConfigException shortSecret = refused("peers", "b=http://h:1", "hopSecret", "tooShortSecret");
        assertMessage(shortSecret, "hopSecret", "at least 16");
        assertFalse(shortSecret.getMessage().contains("tooShortSecret"), shortSecret.getMessage());
    }

    private static void assertMessage(ConfigException e, String key, String... parts) {
        assertEquals(key, e.key(), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }
}
