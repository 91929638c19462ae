package dev.spillway.manager.pool;

import dev.spillway.manager.policy.Capacity;
import dev.spillway.manager.policy.Observation;
import dev.spillway.manager.poll.HostEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The spare pool: which polled hosts are members and which wait in the pool, and when one moves between them. Called
 * once per cycle from the cycle thread ({@link #mark}), before the policy decides: it reads the last cycle's
 * capacities, may allocate a spare or release an allocated host, and marks every host that is not a member as
 * {@link Observation#spare()} so the policy neither counts its capacity nor grants a budget into it.
 *
 * <ul>
 *   <li><b>Short of capacity</b>: the members' spare over their capacity below {@code pool.allocate.below} for
 *       {@code pool.allocate.after}: the best spare becomes a member (same zone as the busiest member first, then the
 *       largest capacity), the file is written, the allocation hook runs.</li>
 *   <li><b>Under-used</b>: the members' own load at most {@code pool.release.below} of the capacity of all members
 *       but the allocated host with the least own load, for {@code pool.release.after}, and more than
 *       {@code pool.minMembers} members: that host is marked spare at once (no budget is granted into it any more)
 *       and returned to the pool once a whole lease has passed, so every permit naming it has ended, and no host
 *       reports moving requests to it. Then the file is written and the release hook runs.</li>
 *   <li>No change within {@code pool.coolDown} of the last one, so a sawtooth load does not flap the pool.</li>
 * </ul>
 */
public final class SparePool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.pool");

    private final PoolSettings settings;
    private final long leaseMillis;
    private final MembershipFile file;
    private final HookRunner hooks;
    private final PoolEvents events = new PoolEvents();
    private final List<Hook> allocateHooks;
    private final List<Hook> releaseHooks;
    private final Set<String> pool = new TreeSet<>();
    /** Hosts that registered as spares since the last cycle (RMI threads add, the cycle takes). */
    private final Set<String> declared = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Hosts that joined the pool by registering, kept when the shared membership is adopted again. */
    private final Set<String> joined = new TreeSet<>();
    /** The shared membership (ZooKeeper), or null: then the file is the only store. */
    private volatile SharedMembershipStore shared;
    /** The epoch whose lead this pool has taken over from the shared membership; -1: not leading. */
    private long adoptedEpoch = -1;
    /** The epoch the current cycle runs under (-1 on a follower). */
    private long epoch = -1;
    private final Set<String> allocated = new TreeSet<>();
    private final Map<String, Long> releasing = new LinkedHashMap<>();
    private final Set<String> lastMembers = new TreeSet<>();
    /** Each host's last answered poll, for the moves into a host being released. */
    private final Map<String, Report> lastReports = new HashMap<>();

    private record Report(long atMillis, dev.spillway.agent.contract.HostLoad load) {
    }
    /** Cold spares whose allocation hook ran: id to the time they must answer by. */
    private final Map<String, Long> starting = new LinkedHashMap<>();
    /** Cold spares that did not answer in time: id to when; skipped for a cool-down. */
    private final Map<String, Long> coldFailed = new HashMap<>();
    private long shortSince = -1;
    private long idleSince = -1;
    private long lastChange = Long.MIN_VALUE / 2;
    private long allocations;
    private long releases;
    private volatile PoolState state = PoolState.OFF;

    private SparePool(PoolSettings settings, long leaseMillis, List<String> configuredHosts) {
        this.settings = settings;
        this.leaseMillis = leaseMillis;
        this.file = new MembershipFile(settings.file());
        this.hooks = new HookRunner(settings.hookRetryMillis(), settings.hookAttempts(), events);
        this.allocateHooks = hooks(settings.allocateCommand(), settings.allocateUrl());
        this.releaseHooks = hooks(settings.releaseCommand(), settings.releaseUrl());
        Membership m = file.read();
        adopt(m);
        lastMembers.addAll(configuredHosts);
        lastMembers.addAll(m.members());
        lastMembers.addAll(m.allocated());
        lastMembers.removeAll(spares());
        write();
        publish();
    }

    /**
     * The pool of {@code settings}, with what its file says was allocated; null when the pool is off.
     *
     * @throws dev.spillway.settings.ConfigException when the file cannot be read or a line is wrong
     */
    public static SparePool open(PoolSettings settings, long leaseMillis, List<String> configuredHosts) {
        return settings.enabled() ? new SparePool(settings, leaseMillis, configuredHosts) : null;
    }

    /** An action's hooks: its command and its HTTP call, each run and retried on its own. */
    private List<Hook> hooks(List<String> command, java.net.URI url) {
        List<Hook> out = new ArrayList<>();
        if (!command.isEmpty()) {
            out.add(new CommandHook(command, settings.hookTimeoutMillis()));
        }
        if (url != null) {
            out.add(new HttpHook(url, settings.hookTimeoutMillis()));
        }
        return List.copyOf(out);
    }

    public PoolState state() {
        return state;
    }

    /** What happened to the pool lately (allocations, releases, failed hooks), for the data stream. */
    public PoolEvents events() {
        return events;
    }

    /**
     * Keeps the membership in {@code store} from now on (several managers on ZooKeeper): a manager that comes to
     * lead reads it before it changes anything, so it keeps what the last leader allocated; one that follows marks
     * spares as the store says. Call before the first cycle.
     */
    public void share(SharedMembershipStore store) {
        this.shared = store;
    }

    /** One cycle: may allocate or release, then returns {@code observations} with every non-member marked spare. */
    public List<Observation> mark(long now, List<HostEntry> hosts, List<Observation> observations,
                                  Map<String, Capacity> lastCapacities) {
        return mark(now, hosts, observations, lastCapacities, 0L);
    }

    /**
     * @param mayChange false on a manager that does not lead (ZooKeeper): it marks the spares as it knows them but
     *                  never allocates, releases, writes the file or runs a hook — only the leader changes the pool
     */
    public List<Observation> mark(long now, List<HostEntry> hosts, List<Observation> observations,
                                  Map<String, Capacity> lastCapacities, boolean mayChange) {
        return mark(now, hosts, observations, lastCapacities, mayChange ? 0L : -1L);
    }

    /**
     * @param epoch the epoch this manager leads under (0: alone), or -1 when it does not lead: then it marks the
     *              spares as it knows them but never allocates, releases, writes or runs a hook
     */
    public List<Observation> mark(long now, List<HostEntry> hosts, List<Observation> observations,
                                  Map<String, Capacity> lastCapacities, long epoch) {
        boolean mayChange = followOrTakeOver(epoch);
        this.epoch = mayChange ? epoch : -1;
        Map<String, HostEntry> entries = new HashMap<>();
        hosts.forEach(h -> entries.put(h.id(), h));
        Map<String, Observation> byId = new LinkedHashMap<>();
        observations.forEach(o -> byId.put(o.id(), o));
        boolean grew = takeDeclared(entries);
        lastMembers.clear();
        byId.keySet().stream().filter(id -> !spares().contains(id)).forEach(lastMembers::add);

        if (mayChange && grew) {
            write();
        }
        remember(now, observations);
        if (mayChange) {
            finishReleases(now, observations, entries);
            checkStarting(now, byId, lastCapacities, entries);
            if (releasing.isEmpty() && starting.isEmpty()) {
                decide(now, byId, lastCapacities, entries);
            }
        }
        publish();
        Set<String> notMembers = spares();
        List<Observation> out = new ArrayList<>(observations.size());
        for (Observation o : observations) {
            out.add(notMembers.contains(o.id()) && !o.spare()
                    ? new Observation(o.id(), o.zone(), o.load(), o.error(), o.drained(), true) : o);
        }
        return out;
    }

    /**
     * A host's agent registered as a spare ({@code host.spare=true}); called before the host is put in the table, so
     * no cycle sees it as a member first. It joins the pool in the first cycle that has it in the table; a host in
     * the pool already (allocated or not) stays as it is: a registration never makes a host a member.
     */
    public void declare(String id) {
        declared.add(id);
    }

    /** The registration that declared {@code id} was refused: it does not join. */
    public void withdraw(String id) {
        declared.remove(id);
    }

    /** Whether {@code id} is in the pool as of the last cycle (a spare, allocated, or being released). */
    public boolean holds(String id) {
        PoolState s = state;
        return s.spares().contains(id) || s.allocated().contains(id) || s.starting().contains(id);
    }

    /**
     * With a shared membership: a follower takes what it says every cycle (read in the background, never waiting);
     * a manager that has just come to lead reads it now and adopts it before it may change anything (or, when
     * nothing is stored yet, stores its own). False when this cycle may not change the pool.
     */
    private boolean followOrTakeOver(long epoch) {
        SharedMembershipStore store = shared;
        if (store == null) {
            return epoch >= 0;
        }
        if (epoch < 0) {
            adoptedEpoch = -1;
            releasing.clear(); // the leader tracks these; a follower that led once forgets its own
            starting.clear();
            Membership m = store.latest();
            if (m != null) {
                adopt(m);
            }
            return false;
        }
        if (adoptedEpoch == epoch) {
            return true;
        }
        try {
            Membership m = store.load();
            if (m == null) {
                store.save(current(), epoch);
                LOG.log(System.Logger.Level.INFO, "pool: leading in epoch " + epoch + "; nothing in "
                        + store.describe() + " yet, stored this manager's membership there");
            } else {
                adopt(m);
                write(); // the local file as well: this manager's copy (this.epoch is not set yet: not stored again)
                LOG.log(System.Logger.Level.INFO, "pool: leading in epoch " + epoch + "; took the membership"
                        + " from " + store.describe() + ": allocated " + m.allocated() + ", spares " + m.spares());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "pool: leading in epoch " + epoch + " but the shared membership"
                    + " cannot be read (" + e.getMessage() + "); no pool change until it can");
            return false;
        }
        adoptedEpoch = epoch;
        return true;
    }

    /** Takes {@code m} as the pool: its spares and allocated hosts, plus pool.spares and hosts that registered. */
    private void adopt(Membership m) {
        pool.clear();
        pool.addAll(settings.spares());
        pool.addAll(joined);
        pool.addAll(m.spares());
        pool.addAll(m.allocated());
        allocated.clear();
        allocated.addAll(m.allocated());
        for (String id : m.members()) { // a pool host written as a plain member by an older manager
            if (pool.contains(id)) {
                allocated.add(id);
            }
        }
        releasing.keySet().retainAll(allocated);
    }

    /** Declared hosts now in the table join the pool; true when one joined that was not in it. */
    private boolean takeDeclared(Map<String, HostEntry> entries) {
        boolean any = false;
        for (String id : List.copyOf(declared)) {
            if (!entries.containsKey(id) || !declared.remove(id)) {
                continue; // not in the table yet: it joins in the cycle that has it
            }
            joined.add(id);
            if (pool.add(id)) { // a host in the pool already, allocated or not, stays as it is
                any = true;
                LOG.log(System.Logger.Level.INFO, "pool: " + id + " registered as a spare; in the pool from now");
            }
        }
        return any;
    }

    private void decide(long now, Map<String, Observation> byId, Map<String, Capacity> caps,
                        Map<String, HostEntry> entries) {
        double capacity = 0;
        double spare = 0;
        double own = 0;
        int members = 0;
        Observation busiest = null;
        double busiestUse = -1;
        for (Observation o : byId.values()) {
            if (spares().contains(o.id())) {
                continue;
            }
            members++;
            Capacity c = caps.get(o.id());
            if (o.reachable() && !o.drained() && known(c)) {
                capacity += c.capacity();
                spare += c.spare();
                own += c.ownRate();
                if (c.ownRate() / c.capacity() > busiestUse) {
                    busiestUse = c.ownRate() / c.capacity();
                    busiest = o;
                }
            }
        }
        boolean coolingDown = now - lastChange < settings.coolDownMillis();
        boolean isShort = capacity > 0 && spare / capacity < settings.allocateBelow();
        shortSince = isShort ? (shortSince < 0 ? now : shortSince) : -1;
        String leastNeeded = leastNeeded(byId, caps);
        boolean idle = leastNeeded != null && members - 1 >= settings.minMembers()
                && own <= settings.releaseBelow() * (capacity - caps.get(leastNeeded).capacity());
        idleSince = idle ? (idleSince < 0 ? now : idleSince) : -1;
        if (coolingDown) {
            return;
        }
        if (isShort && now - shortSince >= settings.allocateAfter()) {
            String zone = busiest == null ? "" : busiest.zone();
            String pick = bestSpare(byId, caps, zone);
            if (pick != null) {
                allocate(now, pick, entries.get(pick), byId.get(pick), spare, capacity, true);
            } else {
                startCold(now, byId, entries, zone);
            }
        } else if (idle && now - idleSince >= settings.releaseAfter()) {
            releasing.put(leastNeeded, now);
            lastChange = now;
            idleSince = -1;
            String why = "members' own load " + Math.round(own) + "/s fits in "
                    + Math.round(capacity - caps.get(leastNeeded).capacity()) + "/s without it";
            events.add(now, PoolEvent.RELEASE_STARTED, leastNeeded, why + "; no budgets into it from now,"
                    + " returned once nothing moves to it");
            LOG.log(System.Logger.Level.INFO, "pool: releasing " + leastNeeded + " (" + why + "); no budgets into"
                    + " it from now, returned once nothing moves to it");
        }
    }

    private static boolean known(Capacity c) {
        return c != null && c.capacity() > 0 && !Double.isNaN(c.ownRate());
    }

    /** The allocated member with the least own load (ties: by id), or null. */
    private String leastNeeded(Map<String, Observation> byId, Map<String, Capacity> caps) {
        return allocated.stream().filter(id -> !releasing.containsKey(id) && byId.containsKey(id)
                        && byId.get(id).reachable() && known(caps.get(id)))
                .min(Comparator.comparingDouble((String id) -> caps.get(id).ownRate())
                        .thenComparing(Comparator.naturalOrder())).orElse(null);
    }

    /** A reachable, healthy, undrained spare: same zone as {@code zone} first, then the largest capacity, then id. */
    private String bestSpare(Map<String, Observation> byId, Map<String, Capacity> caps, String zone) {
        return spares().stream().filter(id -> {
            Observation o = byId.get(id);
            return o != null && o.reachable() && !o.drained() && o.load().isHealthUp() && o.load().isAppHealthUp()
                    && known(caps.get(id));
        }).min(Comparator.comparing((String id) -> !zone.isEmpty() && zone.equals(byId.get(id).zone()) ? 0 : 1)
                .thenComparingDouble(id -> -caps.get(id).capacity()).thenComparing(Comparator.naturalOrder()))
                .orElse(null);
    }

    /**
     * No running spare: the allocation hook is asked to start a cold one (same zone first, then by id), which stays
     * out of the cluster until it answers polls, healthy, within {@code pool.cold.wait}.
     */
    private void startCold(long now, Map<String, Observation> byId, Map<String, HostEntry> entries, String zone) {
        coldFailed.values().removeIf(t -> now - t >= settings.coolDownMillis());
        String pick = spares().stream().filter(id -> !coldFailed.containsKey(id) && !ready(byId.get(id)))
                .min(Comparator.comparing((String id) -> !zone.isEmpty() && zone.equals(zoneOf(id, entries, byId))
                        ? 0 : 1).thenComparing(Comparator.naturalOrder())).orElse(null);
        if (pick == null) {
            return;
        }
        starting.put(pick, now + settings.coldWaitMillis());
        String how = "it joins once it answers, healthy, within " + settings.coldWaitMillis() + " ms";
        events.add(now, PoolEvent.ALLOCATE_STARTED, pick, "no running spare: the allocation hook is asked to start"
                + " this cold one; " + how);
        LOG.log(System.Logger.Level.INFO, "pool: no running spare; starting " + pick + " with the allocation hook"
                + " (" + how + ")");
        hooks.run(hookCall("allocate", pick, entries.get(pick), byId.get(pick)), allocateHooks);
    }

    /** Cold spares that now answer become members (their hook already ran); those past their wait are given up. */
    private void checkStarting(long now, Map<String, Observation> byId, Map<String, Capacity> caps,
                               Map<String, HostEntry> entries) {
        for (var it = starting.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            String id = e.getKey();
            if (ready(byId.get(id))) {
                it.remove();
                allocate(now, id, entries.get(id), byId.get(id), Double.NaN, Double.NaN, false);
            } else if (now >= e.getValue()) {
                it.remove();
                coldFailed.put(id, now);
                events.add(now, PoolEvent.COLD_PASSED_OVER, id, "did not answer, healthy, within "
                        + settings.coldWaitMillis() + " ms of its allocation hook; the next spare is tried");
                LOG.log(System.Logger.Level.WARNING, "pool: " + id + " did not answer, healthy, within "
                        + settings.coldWaitMillis() + " ms of its allocation hook; trying the next spare");
            }
        }
    }

    private static boolean ready(Observation o) {
        return o != null && o.reachable() && !o.drained() && o.load().isHealthUp() && o.load().isAppHealthUp();
    }

    private static String zoneOf(String id, Map<String, HostEntry> entries, Map<String, Observation> byId) {
        Observation o = byId.get(id);
        if (o != null && o.zone() != null) {
            return o.zone();
        }
        HostEntry h = entries.get(id);
        return h == null ? "" : h.zone();
    }

    private void allocate(long now, String id, HostEntry entry, Observation o, double spare, double capacity,
                          boolean runHook) {
        allocated.add(id);
        lastMembers.add(id);
        lastChange = now;
        shortSince = -1;
        idleSince = -1;
        allocations++;
        write();
        String why = runHook ? "members' spare capacity " + Math.round(spare) + "/s of " + Math.round(capacity)
                + "/s" : "started cold, now answering";
        if (runHook) { // a cold spare's start was told when its hook was asked to start it
            events.add(now, PoolEvent.ALLOCATE_STARTED, id, why + "; a warm spare");
        }
        events.add(now, PoolEvent.ALLOCATE_DONE, id, "a member and a target from now (" + why + ")");
        LOG.log(System.Logger.Level.INFO, "pool: allocated " + id + " (" + why + ")");
        if (runHook) {
            hooks.run(hookCall("allocate", id, entry, o), allocateHooks);
        }
    }

    /** Releasing hosts whose permits have all run out and into which nothing moves any more go back to the pool. */
    private void finishReleases(long now, List<Observation> observations, Map<String, HostEntry> entries) {
        for (var it = releasing.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            String id = e.getKey();
            if (now - e.getValue() < leaseMillis || movedInto(id, now)) {
                continue;
            }
            it.remove();
            allocated.remove(id);
            lastMembers.remove(id);
            lastChange = now;
            releases++;
            write();
            events.add(now, PoolEvent.RELEASE_DONE, id, "back in the pool: nothing moved to it in flight any more");
            LOG.log(System.Logger.Level.INFO, "pool: released " + id + " back to the pool");
            Observation o = observations.stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
            hooks.run(hookCall("release", id, entries.get(id), o), releaseHooks);
        }
    }

    /** Each host's last answered poll, with when it came (a poll that timed out says nothing about moves). */
    private void remember(long now, List<Observation> observations) {
        for (Observation o : observations) {
            if (o.load() != null) {
                lastReports.put(o.id(), new Report(now, o.load()));
            }
        }
        lastReports.values().removeIf(r -> now - r.atMillis() >= leaseMillis);
    }

    /**
     * Whether any host reported moving requests to {@code id} in its last answered poll. A host whose last poll was
     * missed counts with the report before it, for up to a lease: whatever permit it moved under has ended by then.
     */
    private boolean movedInto(String id, long now) {
        for (Report r : lastReports.values()) {
            if (now - r.atMillis() >= leaseMillis) {
                continue;
            }
            String[] peers = r.load().getMovedToPeers();
            double[] rates = r.load().getMovedToRates();
            for (int i = 0; i < peers.length && i < rates.length; i++) {
                if (peers[i].equals(id) && rates[i] > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static HookCall hookCall(String action, String id, HostEntry entry, Observation o) {
        String reported = o == null || o.load() == null ? null : o.load().getWebBaseUrl();
        String web = entry == null ? (reported == null ? "" : reported) : entry.webBaseUrlOr(reported);
        return new HookCall(action, id, web == null ? "" : web, entry == null ? "" : entry.jmxUrl());
    }

    /** Pool hosts that are not members: never allocated, or being released. */
    private Set<String> spares() {
        Set<String> out = new LinkedHashSet<>(pool);
        out.removeAll(allocated);
        out.addAll(releasing.keySet());
        return out;
    }

    /**
     * The membership as this pool has it now. An allocated host of {@code pool.spares} is written as a plain member
     * (the configuration says it is a pool host, and files have always said it so); one that joined by registering
     * is written {@code allocated}, since nothing else would tell a restarted manager it belongs to the pool.
     */
    private Membership current() {
        Set<String> members = new TreeSet<>(lastMembers);
        members.removeAll(pool);
        Set<String> marked = new TreeSet<>(allocated);
        for (String id : allocated) {
            if (settings.spares().contains(id)) {
                members.add(id);
                marked.remove(id);
            }
        }
        Set<String> inPool = new TreeSet<>(pool);
        inPool.removeAll(allocated);
        return new Membership(List.copyOf(members), List.copyOf(inPool), List.copyOf(marked));
    }

    /** Writes the file and, on a leader with a shared membership, that too (before any hook runs). */
    private void write() {
        Membership m = current();
        try {
            file.write(m);
        } catch (RuntimeException e) {
            // the decision stands for this run; a restart before the next good write would not know it
            LOG.log(System.Logger.Level.ERROR, "pool: " + e.getMessage(), e);
        }
        SharedMembershipStore store = shared;
        if (store != null && epoch >= 0) {
            try {
                store.save(m, epoch);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "pool: the shared membership was not written: " + e.getMessage()
                        + "; a new leader would not know this change", e);
            }
        }
    }

    private void publish() {
        Set<String> free = new TreeSet<>(pool);
        free.removeAll(allocated);
        state = new PoolState(List.copyOf(free), List.copyOf(allocated), List.copyOf(new TreeSet<>(releasing.keySet())),
                List.copyOf(new TreeSet<>(starting.keySet())), allocations, releases, hooks.failures());
    }

    @Override
    public void close() {
        hooks.close();
    }
}
