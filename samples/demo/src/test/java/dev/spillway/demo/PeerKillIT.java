package dev.spillway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hot server proxies part of its load to its peers; then the peer it moved most to dies (SIGKILL) while it is
 * a target, and once the manager has found that peer failed, the other dies too. Which peer goes first is the
 * policy's choice among equals: the test kills whichever took requests, and asserts only what is promised. The requests the hot server chooses for a dead peer are served by itself
 * (the connection is refused, nothing went upstream), so no request sent after a kill fails, and once both peers
 * are gone it serves everything itself. The only requests allowed to fail are
 * those that were already being served by the peer when it died: they had gone upstream, and by design nothing is
 * retried after that (the hot server answers 502).
 *
 * <p>Proxy mode, because only there does the hot server see the dead peer: with redirects it is the client that
 * connects to the peer, and until the manager finds the peer failed (3 missed polls) a client sent there fails.
 */
class PeerKillIT {

    @Test
    void deadPeersAreSkippedAndNoIdempotentRequestFails() throws Exception {
        try (Cluster cluster = E2e.cluster(E2e.runDir("peer-kill"), "--offload.mode=PROXY");
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
                    .max(java.util.Comparator.comparingLong(t -> moving.movedTo().getOrDefault(t, 0L))).orElseThrow();
            String second = "b".equals(first) ? "c" : "b";
            long fellBackBefore = hot.read().fellBack();
            long killB = System.nanoTime();
            cluster.killServer(first);
            E2e.await("the manager finds " + first + " failed", () -> cluster.hostState(first), "failed"::equals);
            long fellBackAfterB = hot.read().fellBack();
            long killC = System.nanoTime();
            cluster.killServer(second);
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
            List<Load.Result> results = load.results();
            assertTrue(results.stream().anyMatch(Load.Result::moved), "nothing was proxied before the kills");
            List<Load.Result> failed = results.stream().filter(x -> x.error() != null).toList();
            // A failure is only allowed for a page that was under way at a peer when that peer was killed.
            List<Load.Result> wrong = failed.stream().filter(x -> x.kind() != Load.Kind.PAGE
                    || (x.status() != 502 && x.status() != 504)
                    || x.dueNanos() >= killC || (x.dueNanos() >= killB && x.dueNanos() + x.latencyNanos() < killC))
                    .toList();
            assertEquals(0, wrong.size(), "requests failed that were not under way at a dying peer: "
                    + E2e.errors(wrong));
            assertEquals(0, results.stream().filter(x -> x.kind() != Load.Kind.PAGE && x.moved()).count(),
                    "a cart or admin call was moved");
            System.out.println(results.size() + " requests to a; " + failed.size() + " under way at a peer when it"
                    + " was killed answered 502/504 " + E2e.errors(failed) + "; "
                    + results.stream().filter(Load.Result::moved).count() + " served by b or c; a fell back "
                    + hot.read().fellBack() + " times (" + (fellBackAfterB - fellBackBefore)
                    + " while " + first + " was dead but still a target)");
        }
    }
}
