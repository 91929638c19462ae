package dev.spillway.manager.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package of the manager imports a package that imports it back (shared/DESIGN.md). Reads the compiled classes'
 * constant pools, where every class a class uses is named (in class entries and in type descriptors).
 */
class NoPackageCyclesTest {
    private static final Pattern REFERENCE = Pattern.compile("dev/spillway/manager/(?:[a-z0-9_]+/)*(?=[A-Z$])");

    @Test
    void theManagersPackagesFormNoCycle() throws Exception {
        Map<String, Set<String>> uses = packageGraph();
        assertTrue(uses.containsKey("dev.spillway.manager.web") && uses.size() >= 4, "classes not found: " + uses);
        for (String from : uses.keySet()) {
            List<String> cycle = cycleFrom(from, uses);
            assertTrue(cycle.isEmpty(), "package cycle: " + String.join(" -> ", cycle));
        }
    }

    @Test
    void theWebLayerSeesTheManagerOnlyThroughItsConsole() throws Exception {
        assertFalse(packageGraph().get("dev.spillway.manager.web").contains("dev.spillway.manager"),
                "dev.spillway.manager.web must not use dev.spillway.manager (use ManagerConsole)");
    }

    /** Package -> the other manager packages its classes use. */
    static Map<String, Set<String>> packageGraph() throws IOException, java.net.URISyntaxException {
        Path classes = Path.of(ManagerConsole.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/spillway/manager"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String pkg = classes.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> out = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                for (String utf8 : utf8Constants(f)) {
                    Matcher m = REFERENCE.matcher(utf8);
                    while (m.find()) {
                        String used = m.group().substring(0, m.group().length() - 1).replace('/', '.');
                        if (!used.equals(pkg)) {
                            out.add(used);
                        }
                    }
                }
            }
        }
        return uses;
    }

    private static List<String> cycleFrom(String start, Map<String, Set<String>> uses) {
        List<String> path = new ArrayList<>();
        path.add(start);
        return walk(start, start, uses, path, new TreeSet<>()) ? path : List.of();
    }

    private static boolean walk(String start, String at, Map<String, Set<String>> uses, List<String> path,
                                Set<String> seen) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            path.add(next);
            if (next.equals(start) || (seen.add(next) && walk(start, next, uses, path, seen))) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /** The UTF-8 entries of a class file's constant pool (JVMS 4.4). */
    private static List<String> utf8Constants(Path classFile) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
            in.readInt();            // magic
            in.readUnsignedShort();  // minor
            in.readUnsignedShort();  // major
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> out.add(in.readUTF());
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;         // longs and doubles take two slots
                    }
                    default -> throw new IOException(classFile + ": unknown constant pool tag " + tag);
                }
            }
        }
        return out;
    }
}
