package dev.spillway.agent.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cgroup a host's watched JVMs run in: the agent's own JVM when embedded, or the container JVMs a standalone
 * agent watches on this machine. Each is looked up once and again every {@value #REFRESH_SAMPLES} samples (a
 * process can be moved to another cgroup while it runs).
 *
 * <p>The host has a cgroup of its own only when every JVM that answered runs in the same one. JVMs in different
 * cgroups have no one limit their figures could be put against, so the machine's figures are used.
 *
 * <p>A pid the JVM reports is only ours to look up if it names the same process here: a JVM in another pid
 * namespace (a container watched from outside) reports a pid that means another process, or none, on this
 * machine. The process's start time must match the JVM's, within {@link #START_TOLERANCE}.
 */
public final class HostCgroups {
    static final int REFRESH_SAMPLES = 10;
    static final Duration START_TOLERANCE = Duration.ofSeconds(10);

    private final CgroupLocator locator;
    private final Map<JvmProcess, CgroupDirs> known = new HashMap<>();
    private int samplesUntilRefresh;

    public HostCgroups(CgroupLocator locator) {
        this.locator = locator;
    }

    /** The cgroup of {@code processes}, or {@link CgroupDirs#NONE}. */
    public CgroupDirs of(List<JvmProcess> processes) {
        if (samplesUntilRefresh-- <= 0) {
            known.clear();
            samplesUntilRefresh = REFRESH_SAMPLES - 1;
        }
        known.keySet().retainAll(processes);
        CgroupDirs common = null;
        for (JvmProcess p : processes) {
            CgroupDirs d = known.computeIfAbsent(p, this::locate);
            if (common != null && !common.equals(d)) {
                return CgroupDirs.NONE;
            }
            common = d;
        }
        return common == null ? CgroupDirs.NONE : common;
    }

    private CgroupDirs locate(JvmProcess p) {
        return isHere(p) ? locator.locate(p.pid()) : CgroupDirs.NONE;
    }

    private static boolean isHere(JvmProcess p) {
        Optional<Instant> start = ProcessHandle.of(p.pid()).flatMap(h -> h.info().startInstant());
        return start.isPresent()
                && Math.abs(start.get().toEpochMilli() - p.startMillis()) <= START_TOLERANCE.toMillis();
    }
}
