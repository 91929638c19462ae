package dev.spillway.manager.poll;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.contract.OffloadMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Polls every host's agent in parallel and pushes directives, each call bounded by a deadline so one slow or dead
 * host never delays the others. Connections are cached per host and dropped on any failure (the next poll
 * reconnects). A host whose previous call is still hanging is not called again — it is reported as missed, so a
 * hung agent holds at most one pool thread.
 */
public final class AgentPoller implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.spillway.manager.poll");

    /**
     * What {@code /api/hosts} shows for a self-registered host that cannot be polled. Its URL came from a caller, so
     * what the far end answered (a banner, "connection refused" versus a time-out) would make the manager a port
     * scanner for whoever can register; the detail goes to the manager's log (FINE) instead.
     */
    public static final String REGISTERED_HOST_UNREACHABLE = "the agent cannot be polled at its registered address"
            + " (details in the manager log)";
    private final AgentConnector connector;
    private final ExecutorService pool;
    private final Map<String, AgentConnector.Connection> connections = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    public AgentPoller(AgentConnector connector, int threads) {
        this.connector = connector;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "spillway-poll-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(threads, tf);
    }

    /** Polls all hosts; returns within about {@code timeoutMillis}, one result per entry, in entry order. */
    public List<PollResult> pollAll(List<HostEntry> hosts, long timeoutMillis) {
        Map<String, Future<PollResult>> futures = new HashMap<>();
        List<PollResult> out = new ArrayList<>(hosts.size());
        for (HostEntry h : hosts) {
            if (busy.add(h.id())) {
                futures.put(h.id(), pool.submit(guarded(h, () -> pollOne(h))));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (HostEntry h : hosts) {
            Future<PollResult> f = futures.get(h.id());
            out.add(f == null ? PollResult.failed(h.id(), reason(h, "previous poll still waiting for an answer"))
                    : await(h, f, deadline, timeoutMillis));
        }
        Set<String> ids = new java.util.HashSet<>();
        hosts.forEach(h -> ids.add(h.id()));
        new ArrayList<>(connections.keySet()).stream().filter(id -> !ids.contains(id)).forEach(this::close);
        return out;
    }

    /** Sends directives in parallel; returns the ids whose agent accepted theirs before the deadline. */
    public Set<String> pushAll(Map<String, Directive> directives, List<HostEntry> hosts, long timeoutMillis) {
        Map<String, Future<PollResult>> futures = new HashMap<>();
        for (HostEntry h : hosts) {
            Directive d = directives.get(h.id());
            if (d != null && busy.add(h.id())) {
                futures.put(h.id(), pool.submit(guarded(h, () -> pushOne(h, d))));
            }
        }
        Set<String> ok = ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (HostEntry h : hosts) {
            Future<PollResult> f = futures.get(h.id());
            if (f != null && await(h, f, deadline, timeoutMillis).error() == null) {
                ok.add(h.id());
            }
        }
        return ok;
    }

    private Callable<PollResult> guarded(HostEntry h, Callable<PollResult> call) {
        return () -> {
            try {
                return call.call();
            } catch (Exception e) {
                close(h.id());
                return PollResult.failed(h.id(), reason(h, e));
            } finally {
                busy.remove(h.id());
            }
        };
    }

    private PollResult pollOne(HostEntry h) throws Exception {
        AgentConnector.Connection c = connection(h);
        // timed around the read alone: a reconnect is the manager's cost, the answer is the agent's
        long asked = System.nanoTime();
        HostLoad load = c.hostLoad();
        double answerMillis = (System.nanoTime() - asked) / 1e6;
        if (load == null) {
            return PollResult.failed(h.id(), "agent returned no load");
        }
        if (!h.id().equals(load.getHostId())) {
            // a different agent now answers at this address; never act on its figures under this id
            close(h.id());
            LOG.log(System.Logger.Level.DEBUG, () -> "agent at " + h.jmxUrl() + " polled as " + h.id()
                    + " reports host id '" + load.getHostId() + "'");
            return PollResult.failed(h.id(), h.configured() ? "agent at " + h.jmxUrl() + " reports host id '"
                    + load.getHostId() + "'" : "another agent answers at the registered address");
        }
        return PollResult.ok(h.id(), load, answerMillis);
    }

    private PollResult pushOne(HostEntry h, Directive d) throws Exception {
        AgentConnector.Connection c = connection(h);
        if (d.epoch() != Directive.UNFENCED) {
            // an elected leader's directive (coordination/): the agent refuses it if a newer leader has spoken
            return c.applyAtEpoch(d) ? PollResult.ok(h.id(), null) : PollResult.failed(h.id(), "agent ignored epoch "
                    + d.epoch() + ": a newer leader has been heard");
        }
        if (d.mode() == OffloadMode.LOCAL) {
            c.clearDirective();
        } else if (d.isPermit()) {
            c.applyPermit(d.mode().name(), d.targets().toArray(new String[0]), d.budgetArray(), d.leaseMillis());
        } else {
            c.applyDirective(d.mode().name(), d.targets().toArray(new String[0]), d.fraction(), d.leaseMillis());
        }
        return PollResult.ok(h.id(), null);
    }

    private AgentConnector.Connection connection(HostEntry h) throws Exception {
        AgentConnector.Connection c = connections.get(h.id());
        if (c != null && !c.url.equals(h.jmxUrl())) {
            close(h.id());
            c = null;
        }
        if (c == null) {
            c = connector.connect(h.jmxUrl());
            connections.put(h.id(), c);
        }
        return c;
    }

    private PollResult await(HostEntry h, Future<PollResult> f, long deadlineNanos, long timeoutMillis) {
        String id = h.id();
        try {
            long left = Math.max(0, deadlineNanos - System.nanoTime());
            return f.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return PollResult.failed(id, reason(h, "no answer within " + timeoutMillis + " ms"));
        } catch (ExecutionException e) {
            return PollResult.failed(id, reason(h, e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PollResult.failed(id, "interrupted");
        }
    }

    private boolean close(String id) {
        AgentConnector.Connection c = connections.remove(id);
        if (c != null) {
            c.close();
        }
        return true;
    }

    /** The whole story for a configured host (its URL is the operator's); a generic one for a registered host. */
    private static String reason(HostEntry h, Throwable e) {
        return reason(h, describe(e));
    }

    private static String reason(HostEntry h, String detail) {
        if (h.configured()) {
            return detail;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "poll of registered host " + h.id() + " at " + h.jmxUrl()
                + " failed: " + detail);
        return REGISTERED_HOST_UNREACHABLE;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    public int openConnections() {
        return connections.size();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        new ArrayList<>(connections.keySet()).forEach(this::close);
    }
}
