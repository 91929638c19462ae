package dev.spillway.testkit;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
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

/**
 * Which packages of a module use which others, read from the compiled classes' constant pools (where every class a
 * class uses is named, in class entries and in type descriptors): for tests that keep a module free of package
 * cycles (shared/DESIGN.md) without a library.
 */
public final class PackageGraph {
    private final Map<String, Set<String>> uses;

    private PackageGraph(Map<String, Set<String>> uses) {
        this.uses = uses;
    }

    /**
     * The packages under {@code rootPackage} in the classes directory (or JAR-less output folder) that holds
     * {@code anyClassOfTheModule}, each with the packages under {@code rootPackage} it uses.
     */
    public static PackageGraph of(Class<?> anyClassOfTheModule, String rootPackage) throws IOException {
        Path classes;
        try {
            classes = Path.of(anyClassOfTheModule.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        String root = rootPackage.replace('.', '/');
        Pattern reference = Pattern.compile(Pattern.quote(root) + "/(?:[a-z0-9_]+/)*(?=[A-Z$])");
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes.resolve(root))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String pkg = classes.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> out = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                for (String utf8 : utf8Constants(f)) {
                    Matcher m = reference.matcher(utf8);
                    while (m.find()) {
                        String used = m.group().substring(0, m.group().length() - 1).replace('/', '.');
                        if (!used.equals(pkg)) {
                            out.add(used);
                        }
                    }
                }
            }
        }
        return new PackageGraph(uses);
    }

    /** Package -> the other packages (under the root) its classes use. */
    public Map<String, Set<String>> uses() {
        return uses;
    }

    /** The packages that {@code pkg} uses (empty when it has no classes). */
    public Set<String> usedBy(String pkg) {
        return uses.getOrDefault(pkg, Set.of());
    }

    /** Every cycle found, each as the path from a package back to itself; empty when there is none. */
    public List<List<String>> cycles() {
        List<List<String>> out = new ArrayList<>();
        for (String start : uses.keySet()) {
            List<String> path = new ArrayList<>();
            path.add(start);
            if (walk(start, start, path, new TreeSet<>())) {
                out.add(path);
            }
        }
        return out;
    }

    private boolean walk(String start, String at, List<String> path, Set<String> seen) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            path.add(next);
            if (next.equals(start) || (seen.add(next) && walk(start, next, path, seen))) {
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
