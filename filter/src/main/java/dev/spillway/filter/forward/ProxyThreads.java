package dev.spillway.filter.forward;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy client's own threads: a fixed number sized for the box (one per CPU, at least two), daemon, named, and
 * gone after a minute without work. Its tasks are the HTTP client's callbacks, which never block, so a queue in
 * front of few threads is all they need; nothing here grows with the number of requests in flight.
 */
final class ProxyThreads {
    private ProxyThreads() {
    }

    static int size() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    static ExecutorService create(String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true); // a forgotten close() must not keep a container from exiting
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size(), size(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
