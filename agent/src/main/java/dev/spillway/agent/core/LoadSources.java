package dev.spillway.agent.core;

import dev.spillway.agent.sampling.CgroupLocator;
import dev.spillway.agent.sampling.HealthProbe;
import dev.spillway.agent.sampling.HostCgroups;
import dev.spillway.agent.sampling.HostSampler;
import dev.spillway.agent.sampling.JvmConnection;
import dev.spillway.agent.sampling.JvmReader;
import dev.spillway.agent.sampling.PlatformSampler;
import java.util.List;
import java.util.concurrent.ExecutorService;

/** Builds the measured load source from the settings: the watched JVMs, the platform and the health probes. */
final class LoadSources {
    private LoadSources() {
    }

    static HostSampler measured(AgentSettings settings, List<JvmConnection> watched, ExecutorService probes) {
        List<JvmReader> readers = watched.stream().map(JvmReader::new).toList();
        HealthProbe health = settings.healthUrl() == null ? null
                : new HealthProbe(settings.healthUrl(), settings.healthTimeout(), settings.baselineWindow(), probes);
        HealthProbe app = settings.appHealthUrl() == null ? null
                : new HealthProbe(settings.appHealthUrl(), settings.appHealthTimeout(), 1, probes);
        return new HostSampler(settings.hostId(), settings.zone(), settings.webBaseUrl(), PlatformSampler.ofThisJvm(),
                new HostCgroups(new CgroupLocator()), readers, health, app, System::currentTimeMillis,
                settings.sessionCapacity());
    }
}
