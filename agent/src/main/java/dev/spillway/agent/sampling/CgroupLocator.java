package dev.spillway.agent.sampling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the cgroup directories of a process: its {@code /proc/<pid>/cgroup} lines (which cgroup, per hierarchy)
 * joined with this agent's {@code /proc/self/mountinfo} (where each hierarchy is mounted, and from which root).
 * For cgroup v1 the CPU quota ({@code cpu}), the CPU usage ({@code cpuacct}) and memory ({@code memory}) may sit in
 * separate hierarchies; a v1 hierarchy that carries a controller wins over the v2 one, as it does in the kernel
 * (a controller is active in one hierarchy only). Called once per process seen, not per sample.
 */
public final class CgroupLocator {
    private final Path procRoot;
    private final Path mountinfo;

    public CgroupLocator() {
        this(Path.of("/proc"), Path.of("/proc/self/mountinfo"));
    }

    /** For tests: a directory laid out like /proc (holding {@code <pid>/cgroup}) and a mountinfo file. */
    public CgroupLocator(Path procRoot, Path mountinfo) {
        this.procRoot = procRoot;
        this.mountinfo = mountinfo;
    }

    /** The cgroup directories of {@code pid}, or {@link CgroupDirs#NONE} when it is in none this agent can see. */
    public CgroupDirs locate(long pid) {
        List<String> membership = lines(procRoot.resolve(Long.toString(pid)).resolve("cgroup"));
        List<Mount> mounts = mounts();
        if (membership.isEmpty() || mounts.isEmpty()) {
            return CgroupDirs.NONE;
        }
        Path cpu = v1Dir("cpu", membership, mounts);
        Path cpuacct = v1Dir("cpuacct", membership, mounts);
        Path memory = v1Dir("memory", membership, mounts);
        Path unified = v2Dir(membership, mounts);
        return new CgroupDirs(cpu, cpuacct, memory, unified);
    }

    /** The v1 directory of the hierarchy that carries {@code controller}, or null. */
    private static Path v1Dir(String controller, List<String> membership, List<Mount> mounts) {
        for (String line : membership) {
            String[] f = line.split(":", 3); // hierarchy-id:controllers:path
            if (f.length == 3 && !f[1].isEmpty() && Arrays.asList(f[1].split(",")).contains(controller)) {
                for (Mount m : mounts) {
                    if (m.fsType.equals("cgroup") && m.superOptions.contains(controller)) {
                        return m.dirOf(f[2]);
                    }
                }
            }
        }
        return null;
    }

    private static Path v2Dir(List<String> membership, List<Mount> mounts) {
        for (String line : membership) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && f[0].equals("0") && f[1].isEmpty()) {
                for (Mount m : mounts) {
                    if (m.fsType.equals("cgroup2")) {
                        return m.dirOf(f[2]);
                    }
                }
            }
        }
        return null;
    }

    private List<Mount> mounts() {
        List<Mount> out = new ArrayList<>();
        for (String line : lines(mountinfo)) {
            // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
            String[] f = line.split(" ");
            int dash = Arrays.asList(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 3 >= f.length) {
                continue;
            }
            String type = f[dash + 1];
            if (type.equals("cgroup") || type.equals("cgroup2")) {
                out.add(new Mount(unescape(f[3]), unescape(f[4]), type, Arrays.asList(f[dash + 3].split(","))));
            }
        }
        return out;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    /** mountinfo writes space, tab, newline and backslash in paths as \040, \011, \012, \134. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private record Mount(String root, String mountPoint, String fsType, List<String> superOptions) {
        /**
         * A cgroup path as /proc/PID/cgroup shows it is relative to the hierarchy's root; the mount may show only
         * a subtree of it (a container's own cgroup mounted as its /sys/fs/cgroup). A cgroup outside that subtree
         * cannot be reached through this mount.
         */
        Path dirOf(String cgroupPath) {
            String rel;
            if (root.equals("/")) {
                rel = cgroupPath;
            } else if (cgroupPath.equals(root) || cgroupPath.startsWith(root + "/")) {
                rel = cgroupPath.substring(root.length());
            } else {
                return null;
            }
            Path dir = Path.of(mountPoint);
            for (String part : rel.split("/")) {
                if (part.equals("..")) {
                    return null; // a path in another cgroup namespace ("/../x"): not below this mount
                }
                if (!part.isEmpty()) {
                    dir = dir.resolve(part);
                }
            }
            return dir;
        }
    }
}
