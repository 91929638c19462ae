package dev.spillway.agent.sampling;

import java.nio.file.Path;

/**
 * Where a process's cgroup files are: the v1 directories of the {@code cpu}, {@code cpuacct} and {@code memory}
 * controllers and the v2 (unified) directory; null for a hierarchy the process is not in or this agent cannot see.
 */
public record CgroupDirs(Path cpuV1, Path cpuacctV1, Path memoryV1, Path unified) {
    public static final CgroupDirs NONE = new CgroupDirs(null, null, null, null);
}
