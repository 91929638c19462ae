package dev.spillway.manager.pool;

import dev.spillway.manager.poll.HostTable;
import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The spare-pool settings ({@code pool.*}), read and checked in one place. Off ({@link #enabled()} false) unless
 * {@code pool.file} is set: hosts then join the pool by {@code pool.spares}, by the file's {@code spare} lines or by
 * registering as spares ({@code host.spare} on their agents). {@code pool.spares} requires the file, since a pool
 * whose allocations a restart forgets would hand a host back while it still carries clients.
 *
 * @param spares           ids of the hosts that start in the pool (never targets until allocated)
 * @param file             the membership file the manager owns, or null when the pool is off
 * @param allocateBelow    the cluster's spare capacity, as a part of its capacity, under which it is short
 * @param allocateAfter    how long it must stay short before a spare is allocated
 * @param releaseBelow     the members' own load over the capacity of one fewer member, under which it is under-used
 * @param releaseAfter     how long it must stay under-used before an allocated host is released
 * @param coolDownMillis   no pool change within this long of the last one
 * @param minMembers       a release never leaves fewer members than this
 * @param allocateCommand  argv of the allocation hook (id, web URL and JMX URL are appended), empty: none
 * @param releaseCommand   argv of the release hook (same arguments), empty: none
 * @param allocateUrl      http(s) URL the allocation hook POSTs to, or null
 * @param releaseUrl       http(s) URL the release hook POSTs to, or null
 * @param hookTimeoutMillis a hook still running after this is killed and counted as failed
 * @param hookRetryMillis  a failed hook is run again after this
 * @param hookAttempts     runs of one hook at most
 * @param coldWaitMillis   how long a spare that was not running may take to answer polls after its allocation hook
 */
public record PoolSettings(List<String> spares, Path file, double allocateBelow, long allocateAfter,
                           double releaseBelow, long releaseAfter, long coolDownMillis, int minMembers,
                           List<String> allocateCommand, List<String> releaseCommand, URI allocateUrl,
                           URI releaseUrl, long hookTimeoutMillis,
                           long hookRetryMillis, int hookAttempts, long coldWaitMillis) {

    static final Setting<List<String>> SPARES = Setting.list("pool.spares", "ids of hosts kept in the spare pool:"
            + " polled, never a target nor counted in capacity until allocated; list them in every filter's `peers`"
            + " too (see [Spare pool](#spare-pool)); needs `pool.file`").defaultNote("none");
    static final Setting<String> FILE = Setting.string("pool.file", "", "the membership file the manager owns"
            + " (written atomically, read at start); set: the pool is on, also for agents that register as spares"
            + " (`host.spare`); required with `pool.spares`").defaultNote("none (no pool)");
    static final Setting<Double> ALLOCATE_BELOW = Setting.decimal("pool.allocate.below", 0.1, 0, 1, "the members'"
            + " spare capacity over their capacity under which the cluster is short of capacity");
    static final Setting<Long> ALLOCATE_AFTER = Setting.duration("pool.allocate.after", 10_000, 0, 86_400_000,
            "how long it stays short before the best spare is allocated");
    static final Setting<Double> RELEASE_BELOW = Setting.decimal("pool.release.below", 0.6, 0.05, 1, "the"
            + " members' own load over the capacity of all members but one allocated host, under which that host"
            + " is released");
    static final Setting<Long> RELEASE_AFTER = Setting.duration("pool.release.after", 60_000, 0, 86_400_000,
            "how long the cluster stays under-used before an allocated host is released");
    static final Setting<Long> COOL_DOWN = Setting.duration("pool.coolDown", 60_000, 0, 86_400_000, "no"
            + " allocation or release within this long of the last pool change");
    static final Setting<Integer> MIN_MEMBERS = Setting.integer("pool.minMembers", 1, 1, 100_000, "a release never"
            + " leaves fewer members than this");
    static final Setting<List<String>> ALLOCATE_COMMAND = Setting.of("pool.allocate.command", "", "the allocation"
            + " hook: a command split on spaces (no shell), run with the host's id, web URL and JMX URL appended",
            PoolSettings::argv).defaultNote("none");
    static final Setting<List<String>> RELEASE_COMMAND = Setting.of("pool.release.command", "", "the release"
            + " hook, run like the allocation hook", PoolSettings::argv).defaultNote("none");
    static final Setting<URI> ALLOCATE_URL = Setting.of("pool.allocate.url", "", "an allocation hook that is an"
            + " HTTP call: a POST of `{\"action\",\"id\",\"webUrl\",\"jmxUrl\"}` (JSON) to this http or https URL;"
            + " only a 2xx answer counts as done", PoolSettings::hookUrl).defaultNote("none");
    static final Setting<URI> RELEASE_URL = Setting.of("pool.release.url", "", "the release hook as an HTTP call,"
            + " like `pool.allocate.url`", PoolSettings::hookUrl).defaultNote("none");
    static final Setting<Long> HOOK_TIMEOUT = Setting.duration("pool.hook.timeout", 30_000, 100, 3_600_000,
            "a hook command still running after this is killed, an HTTP hook not answered within it is given up;"
            + " either counts as failed");
    static final Setting<Long> HOOK_RETRY = Setting.duration("pool.hook.retry", 10_000, 10, 3_600_000, "a failed"
            + " hook runs again after this");
    static final Setting<Integer> HOOK_ATTEMPTS = Setting.integer("pool.hook.attempts", 5, 1, 1000, "runs of one"
            + " hook at most");

    static final Setting<Long> COLD_WAIT = Setting.duration("pool.cold.wait", 120_000, 1_000, 3_600_000, "how long"
            + " a cold spare (not answering polls) may take to answer, healthy, after the allocation hook started it;"
            + " then the next spare is tried");

    /** Every pool setting, in the order of the README table. */
    public static final SettingList SETTINGS = SettingList.of(SPARES, FILE, ALLOCATE_BELOW, ALLOCATE_AFTER,
            RELEASE_BELOW, RELEASE_AFTER, COOL_DOWN, MIN_MEMBERS, ALLOCATE_COMMAND, RELEASE_COMMAND, ALLOCATE_URL, RELEASE_URL, HOOK_TIMEOUT,
            HOOK_RETRY, HOOK_ATTEMPTS, COLD_WAIT);

    public boolean enabled() {
        return file != null;
    }

    public static PoolSettings from(ConfigValues c) {
        List<String> spares = SPARES.read(c);
        Set<String> unique = new LinkedHashSet<>();
        for (String id : spares) {
            try {
                HostTable.checkId(id);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(SPARES.key(), id, "host ids of 1-64 characters A-Z a-z 0-9 . _ -");
            }
            if (!unique.add(id)) {
                throw new ConfigException(SPARES.key(), id, "each id once");
            }
        }
        Path file = null;
        if (!unique.isEmpty()) {
            file = Path.of(c.requiredString(FILE.key(), "a path for the membership file, e.g."
                    + " /var/lib/spillway/pool.members"));
        } else if (c.has(FILE.key())) {
            file = Path.of(c.string(FILE.key(), "").strip()); // a pool of hosts that register as spares
        }
        return new PoolSettings(List.copyOf(unique), file, ALLOCATE_BELOW.read(c), ALLOCATE_AFTER.read(c),
                RELEASE_BELOW.read(c), RELEASE_AFTER.read(c), COOL_DOWN.read(c), MIN_MEMBERS.read(c),
                ALLOCATE_COMMAND.read(c), RELEASE_COMMAND.read(c), ALLOCATE_URL.read(c), RELEASE_URL.read(c),
                HOOK_TIMEOUT.read(c), HOOK_RETRY.read(c),
                HOOK_ATTEMPTS.read(c), COLD_WAIT.read(c));
    }

    /** An http or https URL with a host, or null when unset; anything else names the key and the expected form. */
    private static URI hookUrl(ConfigValues c, String key) {
        String v = c.string(key, "").strip();
        if (v.isEmpty()) {
            return null;
        }
        try {
            URI u = new URI(v);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                    && u.getRawUserInfo() == null && u.getRawFragment() == null) {
                return u;
            }
        } catch (java.net.URISyntaxException e) {
            // falls through to the error
        }
        throw new ConfigException(key, v, "an http:// or https:// URL with a host, without user info or fragment,"
                + " e.g. https://provisioner.example/pool");
    }

    /** A hook command split on whitespace: no shell, so nothing in a value is ever interpreted. */
    private static List<String> argv(ConfigValues c, String key) {
        List<String> out = new ArrayList<>();
        for (String s : c.string(key, "").trim().split("\\s+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
