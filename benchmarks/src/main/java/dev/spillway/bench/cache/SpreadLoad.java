package dev.spillway.bench.cache;

import dev.spillway.demo.Load;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Several pages to one server at one total rate, open loop, their arrivals evenly interleaved: one {@link Load} per
 * page, each at the total rate / pages, started 1 / total rate apart. (Streams of one {@code Load} all start at once,
 * so pages at equal rates would arrive together, in bursts the filter's valve answers by moving the burst's tail.)
 */
final class SpreadLoad implements AutoCloseable {
    private final String server;
    private final List<String> pages;
    private final List<Load> loads = new ArrayList<>();

    SpreadLoad(Map<String, String> baseUrls, String server, List<String> pages) {
        this.server = server;
        this.pages = List.copyOf(pages);
        for (int i = 0; i < pages.size(); i++) {
            loads.add(new Load(baseUrls));
        }
    }

    /** Starts sending, {@code perSecond} in all, recording under {@code phase}. */
    void start(String phase, double perSecond) {
        long gap = (long) (1e9 / perSecond);
        long first = System.nanoTime();
        for (int i = 0; i < pages.size(); i++) {
            long at = first + i * gap;
            for (long now = System.nanoTime(); now < at; now = System.nanoTime()) {
                LockSupport.parkNanos(at - now);
            }
            loads.get(i).start(phase, List.of(new Load.Stream(server, Load.Kind.PAGE, pages.get(i),
                    perSecond / pages.size())));
        }
    }

    void stop() throws InterruptedException {
        for (Load l : loads) {
            l.stop();
        }
    }

    /** Waits at most {@code maxMillis} in all for every page sent to be answered or failed. */
    boolean awaitIdle(long maxMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMillis;
        boolean idle = true;
        for (Load l : loads) {
            idle &= l.awaitIdle(Math.max(0, end - System.currentTimeMillis()));
        }
        return idle;
    }

    int outstanding() {
        return loads.stream().mapToInt(Load::outstanding).sum();
    }

    List<Load.Result> results() {
        return loads.stream().flatMap(l -> l.results().stream()).toList();
    }

    @Override
    public void close() throws InterruptedException {
        for (Load l : loads) {
            l.close();
        }
    }
}
