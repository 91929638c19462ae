package dev.spillway.manager;

import dev.spillway.agent.contract.ManagerMXBean;
import dev.spillway.agent.jmx.CallerSubject;
import dev.spillway.agent.jmx.RmiCaller;
import dev.spillway.manager.policy.HostState;
import dev.spillway.manager.policy.Thresholds;
import dev.spillway.manager.poll.AgentEndpoint;
import dev.spillway.manager.poll.HostEntry;
import dev.spillway.manager.poll.HostTable;
import dev.spillway.manager.poll.RegistrationRules;
import dev.spillway.manager.pool.SparePool;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** The {@code dev.spillway:type=Manager} MXBean: agents register here; operators can drain and enable. */
public final class ManagerBean implements ManagerMXBean {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager");

    private final HostTable table;
    private final ControlLoop loop;
    private final ManagerConfig config;
    private final java.util.function.BiPredicate<String, Boolean> drains;

    public ManagerBean(HostTable table, ControlLoop loop, ManagerConfig config) {
        this(table, loop, config, table::setDrained);
    }

    /**
     * @param drains drains or enables a host, false for an unknown one: with several managers on ZooKeeper the same
     *               path as the HTTP API's (the leader only, recorded in ZooKeeper), so the two cannot disagree
     */
    public ManagerBean(HostTable table, ControlLoop loop, ManagerConfig config,
                       java.util.function.BiPredicate<String, Boolean> drains) {
        this.drains = drains;
        this.table = table;
        this.loop = loop;
        this.config = config;
    }

    /**
     * Checks, in this order, the id, the URL's form (an RMI registry URL only), the URL's host against
     * {@code registration.allow}, then the id's binding and the cap ({@link HostTable#register}). The manager
     * connects to what it accepts here with the agents' password, so nothing else gets that far.
     */
    @Override
    public long register(String hostId, String agentJmxUrl, String zone, String webBaseUrl) {
        return register(hostId, agentJmxUrl, zone, webBaseUrl, false);
    }

    /**
     * Registers a host that says it is a spare ({@code host.spare}): checked like {@link #register}, and it joins the
     * spare pool. The security rule: a registration may put a host in the pool, never make it a member. So a host
     * already in the pool (allocated or not) is left as it is, and a host the operator configured as a member
     * ({@code hosts}, not in the pool) is refused: only the operator's configuration may take one out of the
     * cluster. A manager without a pool refuses too, rather than make the host a member.
     */
    @Override
    public long registerSpare(String hostId, String agentJmxUrl, String zone, String webBaseUrl) {
        return register(hostId, agentJmxUrl, zone, webBaseUrl, true);
    }

    private long register(String hostId, String agentJmxUrl, String zone, String webBaseUrl, boolean spare) {
        SparePool pool = loop.sparePool();
        try {
            HostTable.checkId(hostId);
            HostEntry existing = table.get(hostId);
            if (existing == null || !existing.configured()) {
                AgentEndpoint endpoint = AgentEndpoint.parse(agentJmxUrl);
                if (!rules().allow().allows(endpoint.host())) {
                    throw new IllegalArgumentException("agent JMX host '" + endpoint.host() + "' is not one the"
                            + " manager accepts registrations for (registration.allow)");
                }
            }
            boolean isNew = existing == null;
            if (spare) {
                if (pool == null) {
                    throw new IllegalStateException("it registers as a spare (host.spare=true) but this manager has"
                            + " no spare pool (pool.file is not set)");
                }
                if (existing != null && existing.configured() && !pool.holds(hostId)) {
                    throw new IllegalStateException("it registers as a spare (host.spare=true) but the manager's"
                            + " configuration makes it a member (hosts); only that configuration can put it in the"
                            + " pool (pool.spares)");
                }
                pool.declare(hostId); // before the table: no cycle may see it as a member first
            }
            try {
                table.register(hostId, agentJmxUrl, zone, webBaseUrl, System.currentTimeMillis(),
                        rules().maxHosts());
            } catch (RuntimeException e) {
                if (spare) {
                    pool.withdraw(hostId);
                }
                throw e;
            }
            if (isNew) {
                LOG.log(System.Logger.Level.INFO, "host " + hostId + " registered" + (spare ? " as a spare" : "")
                        + " at " + agentJmxUrl);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, printable("registration of host '" + hostId + "' refused" + caller()
                    + ": " + e.getMessage()));
            throw e;
        }
        return config.announceMillis();
    }

    /**
     * Forgets a self-registered host. Allowed to the agent itself (a call from an address of the host its URL
     * names) and to operators ({@code registration.operators}, or any local caller when the connector has no
     * password file); anyone else could otherwise drop a host and register its id elsewhere.
     */
    @Override
    public void deregister(String hostId) {
        HostEntry e = table.get(hostId);
        if (e == null || e.configured()) {
            return;
        }
        if (!isOperator() && !callerIsEndpointOf(e)) {
            LOG.log(System.Logger.Level.WARNING, "deregistration of host '" + hostId + "' refused" + caller());
            throw new SecurityException("host '" + hostId + "' can be deregistered only by its own agent or by an"
                    + " operator (registration.operators)");
        }
        table.deregister(hostId);
        LOG.log(System.Logger.Level.INFO, "host " + hostId + " deregistered" + caller());
    }

    // A caller chooses the id: no line breaks or escapes of its making reach the log.
    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    private RegistrationRules rules() {
        return config.registration();
    }

    private boolean isOperator() {
        if (clientHost() == null) {
            return true; // an in-process call, not over the connector
        }
        if (!config.jmx().authenticates()) {
            return true; // a loopback connector without passwords: every local caller has control anyway
        }
        String user = CallerSubject.userName();
        return user != null && rules().operators().contains(user);
    }

    private static boolean callerIsEndpointOf(HostEntry e) {
        String client = clientHost();
        if (client == null) {
            return false;
        }
        try {
            InetAddress caller = InetAddress.getByName(client);
            String host = AgentEndpoint.parse(e.jmxUrl()).host();
            return Arrays.asList(InetAddress.getAllByName(host)).contains(caller)
                    || caller.isLoopbackAddress() && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException | IllegalArgumentException ex) {
            return false;
        }
    }

    /** The address of the RMI client making this call, or null outside an RMI call. */
    private static String clientHost() {
        return RmiCaller.host();
    }

    private static String caller() {
        String host = clientHost();
        String user = host == null ? null : CallerSubject.userName();
        return host == null ? "" : " (caller " + (user == null ? "" : user + "@") + host + ")";
    }

    @Override
    public String[] getHostIds() {
        return table.entries().stream().map(e -> e.id()).toArray(String[]::new);
    }

    @Override
    public int getHostCount() {
        return table.size();
    }

    @Override
    public int getOverloadedCount() {
        return count(HostState.OVERLOADED);
    }

    @Override
    public int getFailedCount() {
        return count(HostState.FAILED);
    }

    private int count(HostState s) {
        return (int) loop.views().stream().filter(v -> v.state() == s).count();
    }

    @Override
    public long getPollIntervalMillis() {
        return config.intervalMillis();
    }

    @Override
    public long getCycles() {
        return loop.cycles();
    }

    @Override
    public long getLastCycleMillis() {
        return loop.lastCycleMillis();
    }

    @Override
    public double getSurgeQueueLength() {
        Thresholds t = config.policy().thresholds();
        return t.surge() > 0 ? t.surge() * t.queueLengthHigh() : 0;
    }

    @Override
    public long getSurgeQueueDelayMillis() {
        Thresholds t = config.policy().thresholds();
        return t.surge() > 0 ? Math.round(t.surge() * t.queueDelayHighMs()) : 0;
    }

    @Override
    public void alert(String hostId) {
        if (!table.contains(hostId)) {
            throw new IllegalArgumentException("unknown host '" + hostId + "'");
        }
        loop.nudge(hostId);
    }

    @Override
    public long getEarlyCycles() {
        return loop.earlyCycles();
    }

    @Override
    public void drain(String hostId) {
        if (!drains.test(hostId, true)) {
            throw new IllegalArgumentException("unknown host '" + hostId + "'");
        }
    }

    @Override
    public void enable(String hostId) {
        if (!drains.test(hostId, false)) {
            throw new IllegalArgumentException("unknown host '" + hostId + "'");
        }
    }
}
