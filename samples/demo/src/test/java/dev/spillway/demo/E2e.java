package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Shared pieces of the end-to-end tests: run directories, the cluster, bounded waits. */
final class E2e {
    /** A bound on waiting, not a speed requirement: it only turns "never" into a failure. */
    static final long PATIENCE_MILLIS = 60_000;

    private E2e() {
    }

    static Path runDir(String test) throws IOException {
        Path base = Path.of(System.getProperty("demo.home", "target")).resolve("e2e");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, test + "-");
    }

    static Cluster cluster(Path dir, String... managerFlags) throws Exception {
        return Cluster.start(Home.locate(), new Cluster.Settings(dir, 0, Demo.THREADS, List.of(managerFlags)));
    }

    static Map<String, String> baseUrls(Cluster c) {
        Map<String, String> m = new LinkedHashMap<>();
        c.servers().forEach(s -> m.put(s.id(), s.baseUrl()));
        return m;
    }

    /** Polls {@code value} every 100 ms until it satisfies {@code done}; fails naming {@code what} after the bound. */
    static <T> T await(String what, Supplier<T> value, java.util.function.Predicate<T> done) {
        long end = System.currentTimeMillis() + PATIENCE_MILLIS;
        T last = null;
        while (System.currentTimeMillis() < end) {
            last = value.get();
            if (last != null && done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
        return fail("never happened within " + PATIENCE_MILLIS / 1000 + " s: " + what + " (last: " + last + ")");
    }

    /** The failed results, described, for assertion messages. */
    static String errors(List<Load.Result> results) {
        Map<String, Long> kinds = new LinkedHashMap<>();
        results.stream().filter(r -> r.error() != null)
                .forEach(r -> kinds.merge(r.kind() + " to " + r.hit() + ": " + r.error(), 1L, Long::sum));
        return kinds.toString();
    }
}
