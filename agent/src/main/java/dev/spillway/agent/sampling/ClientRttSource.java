package dev.spillway.agent.sampling;

import dev.spillway.agent.contract.HostLoad;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Adds the client round-trip times ({@link HostLoad#getClientNetworks()}) to another load source's samples. The
 * sockets are read at most once per {@code rtt.interval}, off the sampling thread (running {@code ss} takes tens of
 * milliseconds on a busy host, and a sample must not wait for it): a sample reports the figures of the last read
 * that finished, and nothing until the first one has. A network not seen for ten intervals is forgotten.
 */
public final class ClientRttSource implements LoadSource {
    private final LoadSource inner;
    private final Supplier<List<SocketRtt>> sockets;
    private final ClientRttTable table;
    private final long intervalMs;
    private final int networks;
    private final LongSupplier clock;
    private final Executor reader;
    private long lastReadMs = Long.MIN_VALUE; // guarded by this
    private boolean reading; // guarded by this
    private volatile Report report = new Report(new String[0], new double[0]);

    private record Report(String[] networks, double[] rttMillis) {
    }

    /**
     * @param reader runs the reads ({@code Runnable::run} reads on the caller's thread)
     */
    public ClientRttSource(LoadSource inner, Supplier<List<SocketRtt>> sockets, ClientRttSettings settings,
                           LongSupplier clock, Executor reader) {
        this.inner = inner;
        this.sockets = sockets;
        this.table = new ClientRttTable(settings.maxNetworks(), settings.intervalMs() * 10);
        this.intervalMs = settings.intervalMs();
        this.networks = settings.networks();
        this.clock = clock;
        this.reader = reader;
    }

    /** {@code inner} itself when the settings turn the sampler off. */
    public static LoadSource wrap(LoadSource inner, ClientRttSettings settings) {
        if (!settings.enabled()) {
            return inner;
        }
        ClientRttSampler ss = new ClientRttSampler(settings.command(), settings.ports());
        // one daemon thread at most, gone when idle: no lifecycle to manage beside the agent's
        ThreadPoolExecutor reader = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "spillway-client-rtt");
                    t.setDaemon(true);
                    return t;
                });
        return new ClientRttSource(inner, ss::sample, settings, System::currentTimeMillis, reader);
    }

    @Override
    public HostLoad sample() {
        return addTo(inner.sample());
    }

    /** {@code load} with this host's client round-trip times; starts a read of the sockets when one is due. */
    public HostLoad addTo(HostLoad load) {
        startReadIfDue();
        Report r = report;
        return load.toBuilder().clientNetworks(r.networks()).clientRttMillis(r.rttMillis()).build();
    }

    private void startReadIfDue() {
        long now = clock.getAsLong();
        synchronized (this) {
            if (reading || (lastReadMs != Long.MIN_VALUE && now - lastReadMs < intervalMs)) {
                return;
            }
            reading = true;
            lastReadMs = now;
        }
        reader.execute(this::read);
    }

    private void read() {
        try {
            List<SocketRtt> seen = sockets.get();
            synchronized (this) {
                table.update(seen, clock.getAsLong());
                List<ClientRttTable.Network> top = table.top(networks);
                String[] keys = new String[top.size()];
                double[] rtts = new double[top.size()];
                for (int i = 0; i < top.size(); i++) {
                    keys[i] = top.get(i).key();
                    rtts[i] = top.get(i).rttMillis();
                }
                report = new Report(keys, rtts);
            }
        } finally {
            synchronized (this) {
                reading = false;
            }
        }
    }

    @Override
    public QueueFigures queueFigures() {
        return inner.queueFigures();
    }
}
