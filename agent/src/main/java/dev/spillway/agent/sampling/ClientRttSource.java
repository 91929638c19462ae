package dev.spillway.agent.sampling;

import dev.spillway.agent.contract.HostLoad;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Adds the client round-trip times ({@link HostLoad#getClientNetworks()}) to another load source's samples. The
 * sockets are read at most once per {@code rtt.interval}, on the sampling thread; between reads the last figures
 * are reported again. A network not seen for ten intervals is forgotten.
 */
public final class ClientRttSource implements LoadSource {
    private final LoadSource inner;
    private final Supplier<List<SocketRtt>> sockets;
    private final ClientRttTable table;
    private final long intervalMs;
    private final int networks;
    private final LongSupplier clock;
    private long lastReadMs = Long.MIN_VALUE;

    public ClientRttSource(LoadSource inner, Supplier<List<SocketRtt>> sockets, ClientRttSettings settings,
                           LongSupplier clock) {
        this.inner = inner;
        this.sockets = sockets;
        this.table = new ClientRttTable(settings.maxNetworks(), settings.intervalMs() * 10);
        this.intervalMs = settings.intervalMs();
        this.networks = settings.networks();
        this.clock = clock;
    }

    /** {@code inner} itself when the settings turn the sampler off. */
    public static LoadSource wrap(LoadSource inner, ClientRttSettings settings) {
        if (!settings.enabled()) {
            return inner;
        }
        ClientRttSampler ss = new ClientRttSampler(settings.command(), settings.ports());
        return new ClientRttSource(inner, ss::sample, settings, System::currentTimeMillis);
    }

    @Override
    public HostLoad sample() {
        return addTo(inner.sample());
    }

    /** {@code load} with this host's client round-trip times (the sockets read if an interval has passed). */
    public HostLoad addTo(HostLoad load) {
        long now = clock.getAsLong();
        if (lastReadMs == Long.MIN_VALUE || now - lastReadMs >= intervalMs) {
            lastReadMs = now;
            table.update(sockets.get(), now);
        }
        List<ClientRttTable.Network> top = table.top(networks);
        String[] keys = new String[top.size()];
        double[] rtts = new double[top.size()];
        for (int i = 0; i < top.size(); i++) {
            keys[i] = top.get(i).key();
            rtts[i] = top.get(i).rttMillis();
        }
        return load.toBuilder().clientNetworks(keys).clientRttMillis(rtts).build();
    }

    @Override
    public QueueFigures queueFigures() {
        return inner.queueFigures();
    }
}
