package dev.spillway.manager;

import dev.spillway.agent.jmx.SecureJmxServer;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.manager.coordination.CoordinationSettings;
import dev.spillway.manager.coordination.DrainTable;
import dev.spillway.manager.coordination.Leadership;
import dev.spillway.manager.coordination.ZooKeeperLeadership;
import dev.spillway.manager.poll.AgentConnector;
import dev.spillway.manager.poll.AgentPoller;
import dev.spillway.manager.poll.HostTable;
import dev.spillway.manager.pool.PoolState;
import dev.spillway.manager.pool.SparePool;
import dev.spillway.manager.dns.DnsResponder;
import dev.spillway.manager.dns.DnsServer;
import dev.spillway.manager.dns.DnsSettings;
import dev.spillway.manager.route.AnswerPicks;
import dev.spillway.manager.route.RouteOrder;
import dev.spillway.manager.web.WebServer;
import java.util.List;
import javax.management.MBeanServer;

/** A running manager: host table, cycle, MXBean, registration connector and HTTP server, started and stopped together. */
public final class Manager implements AutoCloseable {
    private final ManagerConfig config;
    private final MBeanServer mbs;
    private final HostTable table;
    private final AgentPoller poller;
    private final ControlLoop loop;
    private final DecisionLog decisions;
    private final History history;
    private final RouteOrder routes;
    private final Leadership leadership;
    private SecureJmxServer endpoint;
    private DnsServer dns;
    private WebServer web;
    private boolean ownsMBean;
    private SparePool pool;

    private Manager(ManagerConfig config, MBeanServer mbs, CoordinationSettings coordination) {
        this.config = config;
        this.leadership = coordination.enabled() ? ZooKeeperLeadership.create(coordination) : Leadership.SOLE;
        this.mbs = mbs;
        this.table = new HostTable(config.hosts(), config.expiryMillis());
        this.poller = new AgentPoller(new AgentConnector(config.agentUser(), config.agentPassword(), config.agentSsl()),
                config.pollThreads());
        this.decisions = new DecisionLog(config.decisionsKept());
        this.history = new History(config.historySamples());
        this.loop = new ControlLoop(config, table, poller, decisions, history, leadership);
        this.routes = new RouteOrder(loop::route, loop::score, new RouteFacts(loop, config.dns().hostAddresses()),
                new AnswerPicks(config.policy().pickDecay(), config.intervalMillis()), config.policy().spread(),
                config.dns().rttScaleMillis(), config.policy().sessionWeight());
    }

    /** Starts everything; on a failure, what was started is stopped again and the exception is thrown. */
    public static Manager start(ManagerConfig config, MBeanServer mbs) throws Exception {
        return start(config, mbs, CoordinationSettings.NONE);
    }

    /** Starts a manager that, with {@code zookeeper.connect} set, is one of several electing a leader. */
    public static Manager start(ManagerConfig config, MBeanServer mbs, CoordinationSettings coordination)
            throws Exception {
        Manager m = new Manager(config, mbs, coordination);
        try {
            // first: a membership file with an error stops start-up before anything listens
            m.pool = SparePool.open(config.pool(), config.policy().leaseMillis(),
                    config.hosts().stream().map(h -> h.id()).toList());
            m.loop.usePool(m.pool);
            WebConsole console = new WebConsole(m.loop, m.table, m.decisions, m.history, m.routes, m.leadership);
            m.mbs.registerMBean(new ManagerBean(m.table, m.loop, config, console::setDrained), ObjectNames.manager());
            m.ownsMBean = true;
            // registry: lookup only from other processes; ManagerBean learns callers' addresses from RmiCaller
            m.endpoint = SecureJmxServer.start(config.jmx(), mbs, true);
            m.web = WebServer.start(config.httpHost(), config.httpPort(), config.token(),
                    console);
            if (config.dns().enabled()) {
                m.dns = DnsServer.start(config.dns(), new DnsResponder(config.dns(), m.routes,
                        DnsSettings.ttlSeconds(config.intervalMillis())));
            }
            if (m.leadership instanceof ZooKeeperLeadership z) {
                z.shareDrains(new TableDrains(m.table), config.intervalMillis());
                if (m.pool != null) { // what a new leader must find: the allocations of the last one
                    m.pool.share(z.shareMembership(config.intervalMillis()));
                }
                z.join(m.web.url()); // named by its dashboard, so followers can point to the leader's
            }
            m.loop.start();
            return m;
        } catch (Exception e) {
            m.close();
            throw e;
        }
    }

    public ManagerConfig config() {
        return config;
    }

    public HostTable table() {
        return table;
    }

    public ControlLoop loop() {
        return loop;
    }

    public List<HostView> views() {
        return loop.views();
    }

    public DecisionLog decisions() {
        return decisions;
    }

    public History history() {
        return history;
    }

    public Leadership leadership() {
        return leadership;
    }

    /** The spare pool as of the last cycle ({@link PoolState#OFF} without {@code pool.file}). */
    public PoolState pool() {
        return loop.poolState();
    }

    /** The registration connector's JMX URL. */
    public String jmxUrl() {
        return endpoint.serviceUrl().toString();
    }

    /** The name server's port (UDP and TCP), or -1 when name answers are off. */
    public int dnsPort() {
        return dns == null ? -1 : dns.port();
    }

    /** The one ordering of hosts for new clients ({@code /api/route} and name answers). */
    public RouteOrder routes() {
        return routes;
    }

    /** The HTTP base URL, e.g. {@code http://127.0.0.1:9090}. */
    public String httpUrl() {
        return web.url();
    }

    /** The host table as the shared drains see it. */
    private record TableDrains(HostTable table) implements DrainTable {
        @Override
        public List<String> ids() {
            return table.entries().stream().map(dev.spillway.manager.poll.HostEntry::id).toList();
        }

        @Override
        public boolean isDrained(String id) {
            return table.isDrained(id);
        }

        @Override
        public boolean setDrained(String id, boolean drained) {
            return table.setDrained(id, drained);
        }
    }

    @Override
    public void close() {
        // stop the cycle first: after close() no directive is pushed, so leases run out on their own
        loop.close();
        if (dns != null) {
            dns.close();
        }
        leadership.close(); // then hand over the lead at once
        if (web != null) {
            web.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        poller.close();
        if (pool != null) {
            pool.close();
        }
        // Only our own: a manager whose start failed because another one holds the name must not take that one down.
        if (!ownsMBean) {
            return;
        }
        ownsMBean = false;
        try {
            if (mbs.isRegistered(ObjectNames.manager())) {
                mbs.unregisterMBean(ObjectNames.manager());
            }
        } catch (Exception ignored) {
            // already unregistered
        }
    }
}
