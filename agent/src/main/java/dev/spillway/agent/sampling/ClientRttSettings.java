package dev.spillway.agent.sampling;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the client round-trip sampler ({@code rtt.*}), described once.
 *
 * @param ports       local ports whose established connections are measured; empty: off. Default: the port of
 *                    {@code host.web-base-url} (80/443 by its scheme when it names none); none without that URL
 * @param intervalMs  how often {@code ss} is run
 * @param networks    networks reported in {@code HostLoad} at most (most connections first)
 * @param maxNetworks networks remembered at most (the least recently seen goes first)
 * @param command     the {@code ss} program
 */
public record ClientRttSettings(List<Integer> ports, long intervalMs, int networks, int maxNetworks, String command) {
    /** Null when unset: the port of the web base URL is the default, which only {@link #from} knows. */
    static final Setting<List<Integer>> PORTS = Setting.of("rtt.ports", "", "local ports whose established"
            + " connections' kernel round-trip time is read with `ss -tin`, separated by commas; `off` stops it",
            ClientRttSettings::ports).defaultNote("the port of `host.web-base-url`");
    static final Setting<Long> INTERVAL = Setting.duration("rtt.interval", 5_000, 500, 3_600_000,
            "how often `ss` runs");
    static final Setting<Integer> NETWORKS = Setting.integer("rtt.networks", 32, 1, 1024,
            "client networks (/24, /48) reported, most connections first");
    static final Setting<Integer> MAX_NETWORKS = Setting.integer("rtt.max-networks", 4096, 1, 1_000_000,
            "client networks remembered (the least recently seen goes first); at least `rtt.networks`");
    static final Setting<String> COMMAND = Setting.string("rtt.command", "ss", "the iproute2 `ss` program");

    /** Every round-trip setting, in the order of the README table. */
    public static final SettingList SETTINGS = SettingList.of(PORTS, INTERVAL, NETWORKS, MAX_NETWORKS, COMMAND);

    public ClientRttSettings {
        ports = List.copyOf(ports);
    }

    public boolean enabled() {
        return !ports.isEmpty();
    }

    public static ClientRttSettings from(ConfigValues c, String webBaseUrl) {
        List<Integer> ports = PORTS.read(c);
        if (ports == null) {
            ports = new ArrayList<>();
            if (webBaseUrl != null && !webBaseUrl.isEmpty()) {
                URI u = URI.create(webBaseUrl);
                ports.add(u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
            }
        }
        int networks = NETWORKS.read(c);
        int max = MAX_NETWORKS.read(c);
        if (max < networks) {
            throw new ConfigException(MAX_NETWORKS.key(), String.valueOf(max),
                    "at least rtt.networks (" + networks + ")");
        }
        return new ClientRttSettings(ports, INTERVAL.read(c), networks, max, COMMAND.read(c));
    }

    private static List<Integer> ports(ConfigValues c, String key) {
        if (!c.has(key)) {
            return null;
        }
        List<Integer> ports = new ArrayList<>();
        for (String p : c.list(key)) {
            if (p.equals("off")) {
                continue;
            }
            int port = p.matches("\\d{1,5}") ? Integer.parseInt(p) : -1;
            if (port < 1 || port > 65535) {
                throw new ConfigException(key, c.string(key, ""), "local TCP ports 1-65535 separated by commas, or off");
            }
            ports.add(port);
        }
        return ports;
    }
}
