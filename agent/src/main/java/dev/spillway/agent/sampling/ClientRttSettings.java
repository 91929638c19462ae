package dev.spillway.agent.sampling;

import dev.spillway.agent.config.ConfigException;
import dev.spillway.agent.config.ConfigValues;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Settings of the client round-trip sampler ({@code rtt.*}), read and checked in one place.
 *
 * @param ports       local ports whose established connections are measured; empty: off. Default: the port of
 *                    {@code host.web-base-url} (80/443 by its scheme when it names none); none without that URL
 * @param intervalMs  how often {@code ss} is run
 * @param networks    networks reported in {@code HostLoad} at most (most connections first)
 * @param maxNetworks networks remembered at most (the least recently seen goes first)
 * @param command     the {@code ss} program
 */
public record ClientRttSettings(List<Integer> ports, long intervalMs, int networks, int maxNetworks, String command) {
    public static final Set<String> KEYS = Set.of("rtt.ports", "rtt.interval", "rtt.networks", "rtt.max-networks",
            "rtt.command");

    public ClientRttSettings {
        ports = List.copyOf(ports);
    }

    public boolean enabled() {
        return !ports.isEmpty();
    }

    public static ClientRttSettings from(ConfigValues c, String webBaseUrl) {
        List<Integer> ports = new ArrayList<>();
        if (c.has("rtt.ports")) {
            for (String p : c.list("rtt.ports")) {
                if (p.equals("off")) {
                    continue;
                }
                int port = p.matches("\\d{1,5}") ? Integer.parseInt(p) : -1;
                if (port < 1 || port > 65535) {
                    throw new ConfigException("rtt.ports", c.string("rtt.ports", ""),
                            "local TCP ports 1-65535 separated by commas, or off");
                }
                ports.add(port);
            }
        } else if (webBaseUrl != null && !webBaseUrl.isEmpty()) {
            URI u = URI.create(webBaseUrl);
            ports.add(u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
        }
        long interval = c.millis("rtt.interval", 5_000, 500, 3_600_000);
        int networks = (int) c.integer("rtt.networks", 32, 1, 1024);
        int max = (int) c.integer("rtt.max-networks", 4096, 1, 1_000_000);
        if (max < networks) {
            throw new ConfigException("rtt.max-networks", String.valueOf(max),
                    "at least rtt.networks (" + networks + ")");
        }
        return new ClientRttSettings(ports, interval, networks, max, c.string("rtt.command", "ss"));
    }
}
