package dev.spillway.bench.hotspot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One cgroup-v1 {@code cpu} group per server with a CFS quota, so that servers on one machine each get a CPU of their
 * own size, as separate hosts would. Needs the controller mounted at {@code /sys/fs/cgroup/cpu} and the right to make
 * groups there (root). {@link #close()} moves the processes back to the root group and removes the groups.
 *
 * <p>Where {@code cpuacct} is a hierarchy of its own ({@code /sys/fs/cgroup/cpuacct}, not co-mounted with {@code cpu}),
 * each server gets a group of the same name there too, as a container runtime would do: otherwise the server's
 * {@code cpuacct.usage} is the root group's, the whole machine's, and its agent reports the machine's CPU against its
 * own quota (every server "CPU 1.00" once the machine is busy).
 */
final class CpuCgroups implements AutoCloseable {
    static final Path ROOT = Path.of("/sys/fs/cgroup/cpu");
    static final Path CPUACCT_ROOT = Path.of("/sys/fs/cgroup/cpuacct");
    static final long PERIOD_MICROS = 100_000;

    private final List<Path> groups = new ArrayList<>();

    /** Null when groups can be made here; else why not (the CPU shape is then skipped with that reason). */
    static String unavailable() {
        if (!Files.isDirectory(ROOT) || !Files.exists(ROOT.resolve("cpu.cfs_quota_us"))) {
            return "no cgroup-v1 cpu controller at " + ROOT;
        }
        Path probe = ROOT.resolve("spillway-bench-probe-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(probe);
            Files.delete(probe);
            return null;
        } catch (IOException e) {
            return "cannot make a cgroup under " + ROOT + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "; run as root)";
        }
    }

    /** Makes group {@code spillway-bench-NAME} with {@code cpus} CPUs (e.g. 0.25) and moves process {@code pid} in. */
    void confine(String name, double cpus, long pid) throws IOException {
        Path g = ROOT.resolve("spillway-bench-" + name);
        if (!Files.isDirectory(g)) {
            Files.createDirectory(g);
        }
        groups.add(g);
        Files.writeString(g.resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_MICROS));
        Files.writeString(g.resolve("cpu.cfs_quota_us"), String.valueOf(Math.round(cpus * PERIOD_MICROS)));
        // cgroup.procs moves every thread of the process (v1 semantics of writing a TGID).
        Files.writeString(g.resolve("cgroup.procs"), String.valueOf(pid));
        if (Files.exists(CPUACCT_ROOT.resolve("cpuacct.usage")) && !Files.exists(ROOT.resolve("cpuacct.usage"))) {
            Path usage = CPUACCT_ROOT.resolve("spillway-bench-" + name);
            if (!Files.isDirectory(usage)) {
                Files.createDirectory(usage);
            }
            groups.add(usage);
            Files.writeString(usage.resolve("cgroup.procs"), String.valueOf(pid));
        }
    }

    /** Moves whatever is still in the groups back to the root group, then removes them. */
    @Override
    public void close() {
        for (Path g : groups) {
            try {
                if (!Files.isDirectory(g)) {
                    continue;
                }
                for (String pid : Files.readAllLines(g.resolve("cgroup.procs"))) {
                    if (!pid.isBlank()) {
                        try {
                            Files.writeString(g.getParent().resolve("cgroup.procs"), pid.trim());
                        } catch (IOException gone) {
                            // the process exited meanwhile
                        }
                    }
                }
                Files.delete(g);
            } catch (IOException e) {
                System.err.println("hotspot-bench: could not remove " + g + ": " + e.getMessage()
                        + " (rmdir it once its processes are gone)");
            }
        }
        groups.clear();
    }
}
