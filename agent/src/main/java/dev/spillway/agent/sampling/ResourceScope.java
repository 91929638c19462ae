package dev.spillway.agent.sampling;

/** Spells {@code HostLoad.resourceScope}: where the system CPU and memory figures were measured. */
public final class ResourceScope {
    /** The whole machine's figures (/proc/stat, /proc/meminfo). */
    public static final String MACHINE = "machine";

    private ResourceScope() {
    }

    /**
     * "machine", "cgroup-v1" or "cgroup-v2" when CPU and memory come from the same place, else both named, e.g.
     * "cpu=cgroup-v1 memory=machine" (a cgroup with a CPU quota and no memory limit).
     *
     * @param cpu {@code cgroup-v1}/{@code cgroup-v2}, or null for the machine's
     * @param memory the same for memory
     */
    public static String of(String cpu, String memory) {
        String c = cpu == null ? MACHINE : cpu;
        String m = memory == null ? MACHINE : memory;
        return c.equals(m) ? c : "cpu=" + c + " memory=" + m;
    }
}
