package dev.spillway.demo;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real ZooKeeper server as a child process, for the demo's {@code --managers 2}: the standalone server
 * ({@code org.apache.zookeeper.server.ZooKeeperServerMain}) from the manager's own jar, which carries it with Curator,
 * plus the metrics and snappy libraries the build copies to {@code target/zookeeper-lib}, so nothing has to be
 * installed. Tick 500 ms, so it grants the managers' 2 s sessions; its admin web server is off (it would take port
 * 8080); its data go to {@code <run dir>/zookeeper}.
 */
final class ZooKeeperProcess implements AutoCloseable {
    private final Child child;
    private final int port;

    private ZooKeeperProcess(Child child, int port) {
        this.child = child;
        this.port = port;
    }

    static ZooKeeperProcess start(Home home, Path runDir, int port) throws IOException {
        Path data = Files.createDirectories(runDir.resolve("zookeeper"));
        List<String> cmd = List.of(Cluster.java(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dzookeeper.admin.enableServer=false", "-javaagent:" + home.parentWatchJar(),
                "-cp", home.managerJar() + File.pathSeparator + home.dir().resolve("zookeeper-lib").resolve("*"),
                "org.apache.zookeeper.server.ZooKeeperServerMain",
                String.valueOf(port), data.toString(), "500");
        return new ZooKeeperProcess(Child.start("zookeeper", cmd, runDir.resolve("zookeeper.log"), null), port);
    }

    /**
     * Waits (bounded) until the server serves: its {@code srvr} command (the one four-letter word ZooKeeper allows by
     * default) names its mode. A server that failed to load its data still accepts connections, so a connect alone
     * says nothing.
     */
    void awaitReady(long timeoutMillis) throws IOException, InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                s.setSoTimeout(2_000);
                s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (answer.contains("Mode: ")) {
                    return;
                }
                throw new IOException("ZooKeeper answers: " + answer.strip());
            } catch (IOException e) {
                if (!child.isAlive()) {
                    throw new IOException("ZooKeeper exited (status " + child.exitValue() + ")"
                            + (logSays("already in use") ? ": port " + port + " already in use" : "") + child.tail(),
                            e);
                }
                if (System.currentTimeMillis() > end) {
                    throw new IOException("ZooKeeper did not serve on port " + port + " within "
                            + timeoutMillis / 1000 + " s; see " + child.log, e);
                }
                Thread.sleep(200);
            }
        }
    }

    private boolean logSays(String text) {
        try {
            return Files.readString(child.log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** The managers' {@code zookeeper.connect}. */
    String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        child.stop(10_000);
    }
}
