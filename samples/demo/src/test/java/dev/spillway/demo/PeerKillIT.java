package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hot server proxies part of its load to its peers; then the peer it moved most to dies (SIGKILL) while it is
 * a target, and once the manager has found that peer failed, the other dies too. Which peer goes first is the
 * policy's choice among equals: the test kills whichever took requests, and asserts only what is promised
 * (README, "Failures never lose a request"): a page the hot server sends to a dead peer is served by the hot server
 * itself (a refused connect, or a GET whose connection fails before any byte of the answer, the case a peer killed
 * under requests makes, and a GET whose peer died after its head while nothing of the answer had left for the
 * client). A page may fail only if the peer had it in hand as it died and part of its answer had already reached
 * the client: then the hot server closes the client's connection (never a 502 for a GET). Once both peers are
 * gone and found failed, the hot server serves everything itself.
 *
 * <p>"In hand" is judged server side: every server logs the moment each request reached its webapp
 * ({@link ArrivalLog}, in front of Spillway's filter). A failed page must be in the dead peer's log, and have reached
 * the hot server before that peer's kill was over. A page's due time says nothing about that: a backed-up hot server
 * takes up pages due long before a kill only after it.
 *
 * <p>Proxy mode, because only there does the hot server see the dead peer: with redirects it is the client that
 * connects to the peer, and until the manager finds the peer failed (3 missed polls) a client sent there fails.
 */
class PeerKillIT {

    @Test
    void deadPeersAreSkippedAndNoIdempotentRequestFails() throws Exception {
        Path dir = E2e.runDir("peer-kill");
        try (Cluster cluster = Cluster.start(Home.locate(), new Cluster.Settings(dir, 0, Demo.THREADS,
                        List.of("--offload.mode=PROXY")), Map.of(), List.of("-D" + ArrivalLog.DIR_PROPERTY + "=" + dir));
             Load load = new Load(E2e.baseUrls(cluster));
             FilterProbe hot = cluster.probe(Demo.HOT)) {
            cluster.startManager(false);
            // Only the hot server gets load here: b and c are about to die, and requests sent to them would fail.
            load.start("run", Demo.streams().stream().filter(s -> Demo.HOT.equals(s.server())).toList());

            // Kill a peer while it is one of the hot server's targets, so requests are chosen for it after it died.
            FilterProbe.Reading moving = E2e.await("the hot server proxies to a peer", hot::read,
                    f -> "PROXY".equals(f.mode()) && f.offloaded() > 50
                            && f.targets().stream().anyMatch(t -> f.movedTo().getOrDefault(t, 0L) > 0));
            String first = moving.targets().stream()
                    .max(Comparator.comparingLong(t -> moving.movedTo().getOrDefault(t, 0L))).orElseThrow();
            String second = "b".equals(first) ? "c" : "b";
            FilterProbe.Reading beforeKills = hot.read();
            Kill killFirst = Kill.of(cluster, first);
            E2e.await("the manager finds " + first + " failed", () -> cluster.hostState(first), "failed"::equals);
            long fellBackAfterFirst = hot.read().fellBack();
            Kill killSecond = Kill.of(cluster, second);
            // Both peers gone, and found failed: the requests sent from then on (not those under way at the kill,
            // however long they take) are all served by a itself.
            E2e.await("the manager finds " + second + " failed", () -> cluster.hostState(second), "failed"::equals);
            long bothFailed = System.nanoTime();
            List<Load.Result> sentAfter = E2e.await("100 requests sent after both peers were found failed answered",
                    () -> load.results().stream().filter(x -> x.dueNanos() > bothFailed).toList(),
                    l -> l.size() >= 100);
            assertEquals(List.of(), sentAfter.stream().filter(x -> !Demo.HOT.equals(x.servedBy())).toList(),
                    "requests sent once both peers were gone and found failed were not served by a");

            load.stop();
            assertTrue(load.awaitIdle(E2e.PATIENCE_MILLIS), "requests still under way");
            FilterProbe.Reading after = hot.read();
            List<Load.Result> results = load.results();
            assertTrue(results.stream().anyMatch(Load.Result::moved), "nothing was proxied before the kills");
            // Without this the test would prove nothing about a dead peer: a chose one after it died, and the
            // request was served here (or, were the product broken, failed).
            assertTrue(after.fellBack() + after.offloadFailures()
                            > beforeKills.fellBack() + beforeKills.offloadFailures(),
                    "the hot server never chose a dead peer, so nothing here tested what it does then");

            Map<Long, Long> arrived = ArrivalLog.read(dir, Demo.HOT);
            Map<Long, Long> atFirst = ArrivalLog.read(dir, first);
            Map<Long, Long> atSecond = ArrivalLog.read(dir, second);
            List<Load.Result> failed = results.stream().filter(x -> x.error() != null).toList();
            List<String> wrong = failed.stream()
                    .filter(x -> !mayFail(x, arrived.get(x.id()), atFirst.containsKey(x.id()) ? killFirst
                            : atSecond.containsKey(x.id()) ? killSecond : null))
                    .map(x -> describe(x, arrived.get(x.id()), first + ":" + atFirst.containsKey(x.id()) + " "
                            + second + ":" + atSecond.containsKey(x.id()), killFirst, killSecond)).toList();
            assertEquals(List.of(), wrong, "requests failed that no peer had in hand as it died");
            assertEquals(0, results.stream().filter(x -> x.kind() != Load.Kind.PAGE && x.moved()).count(),
                    "a cart or admin call was moved");
            System.out.println(results.size() + " requests to a; " + failed.size() + " at a peer when it"
                    + " was killed failed " + E2e.errors(failed) + "; "
                    + results.stream().filter(Load.Result::moved).count() + " served by b or c; a fell back "
                    + (after.fellBack() - beforeKills.fellBack()) + " times after the kills ("
                    + (fellBackAfterFirst - beforeKills.fellBack()) + " while " + first
                    + " was dead), failed " + (after.offloadFailures() - beforeKills.offloadFailures()));
        }
    }

    /**
     * A page may fail only if the peer that died had it in hand ({@code peerKill}: the kill of the peer whose log
     * has it; null if none has) and it reached a before that kill was over; and only as promised for a GET whose
     * peer dies once part of its answer reached the client: the client's connection closed (no status). A 502 is
     * never the answer to a GET: before anything left for the client, it is served here.
     */
    private static boolean mayFail(Load.Result x, Long arrivedMicros, Kill peerKill) {
        boolean closed = x.status() == 0 && !x.error().startsWith("Http"); // not the client's own timeouts
        return x.kind() == Load.Kind.PAGE && closed && peerKill != null
                && arrivedMicros != null && arrivedMicros < peerKill.doneMicros();
    }

    private static String describe(Load.Result x, Long arrivedMicros, String inPeerLogs, Kill first, Kill second) {
        return x.kind() + " #" + x.id() + " " + x.error() + ", in the peers' logs " + inPeerLogs + ", reached a "
                + (arrivedMicros == null ? "never" : (arrivedMicros - first.doneMicros()) / 1000 + " ms after the "
                + "first kill, " + (arrivedMicros - second.doneMicros()) / 1000 + " ms after the second");
    }

    /** A SIGKILL and when it was over: the process gone (wall clock, to compare with the server's log). */
    private record Kill(long doneMicros) {
        static Kill of(Cluster cluster, String id) throws InterruptedException {
            cluster.killServer(id);
            assertTrue(!cluster.server(id).process().isAlive(), id + " still alive after its SIGKILL");
            return new Kill(ArrivalLog.epochMicros(Instant.now()));
        }
    }
}
