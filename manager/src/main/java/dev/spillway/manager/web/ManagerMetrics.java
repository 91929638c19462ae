package dev.spillway.manager.web;

import dev.spillway.manager.coordination.LeadershipStatus;
import dev.spillway.manager.policy.HostState;
import dev.spillway.manager.policy.Metric;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics, read from the manager's latest view at scrape time (callbacks, so a host that left the table
 * leaves the output too). The Prometheus Java client writes the text format. Unknown figures are not exported
 * (no sample) rather than exported as 0.
 */
public final class ManagerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public ManagerMetrics(ManagerConsole m) {
        hostGauge(m, "spillway_host_queue_length", "Requests waiting for or holding a worker, smoothed",
                v -> v.load() == null ? Double.NaN : v.load().getQueueLength());
        hostGauge(m, "spillway_host_queue_delay_seconds", "Queue delay, smoothed",
                v -> v.load() == null ? Double.NaN : v.load().getQueueDelayMillis() / 1000.0);
        hostGauge(m, "spillway_host_cpu_ratio", "CPU use, 0..1", v -> v.load() == null ? Double.NaN : Metric.cpu(v.load()));
        hostGauge(m, "spillway_host_memory_ratio", "Heap (or machine) memory used, 0..1",
                v -> v.load() == null ? Double.NaN : Metric.memory(v.load()));
        hostGauge(m, "spillway_host_stress", "Stress factor (1.0 = tightest metric at its high mark)", HostSnapshot::stress);
        hostGauge(m, "spillway_host_offload_fraction", "Fraction of eligible requests the host is told to move",
                v -> v.directive().fraction());
        GaugeWithCallback.builder().name("spillway_host_state").help("1 for the host's current state")
                .labelNames("host", "state")
                .callback(cb -> m.hosts().forEach(v -> cb.call(1, v.id(), v.state().wireName())))
                .register(registry);
        GaugeWithCallback.builder().name("spillway_manager_hosts").help("Hosts in the table, by state")
                .labelNames("state")
                .callback(cb -> {
                    for (HostState s : HostState.values()) {
                        cb.call(m.hosts().stream().filter(v -> v.state() == s).count(), s.wireName());
                    }
                }).register(registry);
        // Dry run (offload.enabled=false): what the manager would send, beside the real figures, never mixed in.
        GaugeWithCallback.builder().name("spillway_manager_dry_run")
                .help("1 while the manager runs dry (offload.enabled=false): it decides and sends nothing")
                .callback(cb -> cb.call(m.dryRun() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("spillway_host_would_spill_budget")
                .help("Dry run: requests/s the permit the manager would grant lets the host spill to the target")
                .labelNames("host", "target")
                .callback(cb -> m.wouldSend().forEach((host, d) -> {
                    if (d.isPermit()) {
                        for (int i = 0; i < d.targets().size(); i++) {
                            cb.call(d.budgets().get(i), host, d.targets().get(i));
                        }
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("spillway_host_would_offload_fraction")
                .help("Dry run: fraction of eligible requests the directive the manager would send moves")
                .labelNames("host")
                .callback(cb -> m.wouldSend().forEach((host, d) -> {
                    if (!d.isPermit()) {
                        cb.call(d.fraction(), host);
                    }
                })).register(registry);
        CounterWithCallback.builder().name("spillway_manager_cycles").help("Poll-and-decide cycles completed")
                .callback(cb -> cb.call(m.cycles().cycles())).register(registry);
        CounterWithCallback.builder().name("spillway_manager_early_cycles")
                .help("Cycles run early because an agent alerted a surge (included in spillway_manager_cycles)")
                .callback(cb -> cb.call(m.cycles().earlyCycles())).register(registry);
        CounterWithCallback.builder().name("spillway_manager_sends")
                .help("Directives and permits that reached their hosts, by why they were sent: first, renewal, mode,"
                        + " targets, cut, grew, local (at a steady farm mostly renewals)")
                .labelNames("reason")
                .callback(cb -> m.cycles().sends().forEach((r, n) -> cb.call(n, r.name().toLowerCase(Locale.ROOT))))
                .register(registry);
        GaugeWithCallback.builder().name("spillway_pool_hosts")
                .help("Hosts of the spare pool: spare (waiting), allocated (members now), releasing (of the allocated)")
                .labelNames("state")
                .callback(cb -> {
                    PoolFigures p = m.pool();
                    cb.call(p.spares(), "spare");
                    cb.call(p.allocated(), "allocated");
                    cb.call(p.releasing(), "releasing");
                }).register(registry);
        CounterWithCallback.builder().name("spillway_pool_allocations").help("Spares allocated since start")
                .callback(cb -> cb.call(m.pool().allocations())).register(registry);
        CounterWithCallback.builder().name("spillway_pool_releases").help("Allocated hosts released since start")
                .callback(cb -> cb.call(m.pool().releases())).register(registry);
        CounterWithCallback.builder().name("spillway_pool_hook_failures").help("Pool hook runs that failed")
                .callback(cb -> cb.call(m.pool().hookFailures())).register(registry);
        GaugeWithCallback.builder().name("spillway_manager_last_cycle_seconds").help("Duration of the last cycle")
                .callback(cb -> cb.call(m.cycles().lastCycleMillis() / 1000.0)).register(registry);
        GaugeWithCallback.builder().name("spillway_manager_leader")
                .help("1 when this manager sends directives (it leads, or runs alone without ZooKeeper), else 0")
                .labelNames("mode")
                .callback(cb -> {
                    LeadershipStatus s = m.leadership();
                    cb.call(s.mayWrite() ? 1 : 0, s.mode());
                }).register(registry);
        GaugeWithCallback.builder().name("spillway_manager_epoch")
                .help("The leader epoch this manager sends under; 0 when it does not lead or runs alone")
                .callback(cb -> cb.call(m.leadership().epoch())).register(registry);
    }

    private void hostGauge(ManagerConsole m, String name, String help, ToDoubleFunction<HostSnapshot> f) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("host")
                .callback(cb -> {
                    for (HostSnapshot v : m.hosts()) {
                        double d = f.applyAsDouble(v);
                        if (!Double.isNaN(d)) {
                            cb.call(d, v.id());
                        }
                    }
                }).register(registry);
    }

    public String contentType() {
        return writer.getContentType();
    }

    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

}
