package dev.spillway.filter.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.filter.directive.ActiveDirective;
import dev.spillway.filter.directive.DirectiveSlot;
import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.peers.Peer;
import dev.spillway.filter.peers.ThisHost;
import dev.spillway.filter.testing.StubRequest;
import dev.spillway.filter.testing.StubResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The peer's signed spare-capacity answer, and what the origin makes of it. */
class InBandFiguresTest {
    private static final byte[] SECRET = "in-band-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_700_000_000_000L;
    private final HopMarker marker = new HopMarker(SECRET, 30_000, () -> NOW);
    private final SpareCapacity spare = new SpareCapacity(marker);
    private final Peer b = Peer.parse("b=http://127.0.0.1:9/b");
    private final Peer c = Peer.parse("c=http://127.0.0.1:10/c");
    private final AtomicLong nanos = new AtomicLong(42);

    @Test
    void aGenuineAnswerVerifiesWithItsFigures() {
        SpareCapacity.Figure f = spare.verify(spare.value("b", 3, 0, NOW, "hopsig"), "b", "hopsig", NOW + 10);
        assertNotNull(f);
        assertEquals(3, f.idle());
        assertEquals(0, f.waiting());
        assertFalse(f.full());
        assertTrue(spare.verify(spare.value("b", 0, 0, NOW, "hopsig"), "b", "hopsig", NOW).full(), "no idle worker");
        assertTrue(spare.verify(spare.value("b", 2, 2, NOW, "hopsig"), "b", "hopsig", NOW).full(), "some waiting");
        assertFalse(spare.verify(spare.value("b", 2, 1, NOW, "hopsig"), "b", "hopsig", NOW).full(),
                "one waiting job: the peer probe's own pool-wait canary whenever every worker is busy");
        assertFalse(spare.verify(spare.value("b", -1, 0, NOW, "hopsig"), "b", "hopsig", NOW).full(), "unknown pool");
    }

    @Test
    void theAnsweredRequestsOwnWorkerCountsAsFree() {
        int[] busy = {8};
        LocalLoad load = new LocalLoad(() -> 0, () -> busy[0], () -> 8, () -> false);
        assertEquals(1, load.idleBesidesOne(), "every worker busy, one of them with the request being answered");
        busy[0] = 3;
        assertEquals(6, load.idleBesidesOne());
        busy[0] = 0; // read between the request's end and the answer: never more than the pool
        assertEquals(8, load.idleBesidesOne());
        assertEquals(-1, new LocalLoad(() -> 0, () -> -1, () -> 8, () -> false).idleBesidesOne(), "unknown pool");
        assertEquals(0, new LocalLoad(() -> 0, () -> 0, () -> 8, () -> true).idleBesidesOne(), "CPU quota used up");
    }

    @Test
    void forgedReplayedStaleOrForeignAnswersAreIgnored() {
        String genuine = spare.value("b", 0, 4, NOW, "hopsig");
        assertNull(spare.verify(genuine, "b", "another-exchange", NOW), "replayed onto another exchange");
        assertNull(spare.verify(genuine, "c", "hopsig", NOW), "passed off as another peer's");
        assertNull(spare.verify(genuine.replace("0~4~", "9~0~"), "b", "hopsig", NOW), "figures altered");
        assertNull(spare.verify(genuine, "b", "hopsig", NOW + SpareCapacity.MAX_AGE_MILLIS + 1), "stale");
        SpareCapacity otherFarm = new SpareCapacity(new HopMarker(
                "another-secret-0123456789".getBytes(StandardCharsets.UTF_8), 30_000, () -> NOW));
        assertNull(spare.verify(otherFarm.value("b", 0, 4, NOW, "hopsig"), "b", "hopsig", NOW), "other secret");
        for (String bad : new String[] {null, "", "1~2~3", "1~2~3.", "a~b~c.xx", "1~2.3~4.x", "x".repeat(500),
            "1~2~" + NOW + ".!!!"}) {
            assertNull(spare.verify(bad, "b", "hopsig", NOW), String.valueOf(bad));
        }
    }

    @Test
    void aPeerThatAnswersFullIsPassedOverUntilANewerAnswerOrTheHoldEnds() {
        PeerStanding standing = new PeerStanding(List.of(b, c), 500, nanos::get);
        assertFalse(standing.isFull(b));
        standing.learn(b, new SpareCapacity.Figure(0, 2, NOW));
        assertTrue(standing.isFull(b));
        assertFalse(standing.isFull(c), "only the peer that said so");
        standing.learn(b, new SpareCapacity.Figure(5, 0, NOW - 1));
        assertTrue(standing.isFull(b), "an older answer that arrived late changes nothing");
        standing.learn(b, new SpareCapacity.Figure(5, 0, NOW + 1));
        assertFalse(standing.isFull(b), "a newer answer with room clears it");
        standing.learn(b, new SpareCapacity.Figure(0, 0, NOW + 2));
        nanos.addAndGet(499_000_000L);
        assertTrue(standing.isFull(b));
        nanos.addAndGet(1_000_000L);
        assertFalse(standing.isFull(b), "no news for the hold: tried again");
    }

    @Test
    void aHoldOfZeroActsOnNoAnswer() {
        PeerStanding standing = new PeerStanding(List.of(b), 0, nanos::get);
        standing.learn(b, new SpareCapacity.Figure(0, 9, NOW));
        assertFalse(standing.isFull(b));
    }

    @Test
    void underAPermitAPeerThatSaidItIsFullGetsNoBudgetWhileAnotherHasRoom() {
        PeerStanding standing = new PeerStanding(List.of(b, c), 500, nanos::get);
        DirectiveSlot slot = new DirectiveSlot(List.of(b, c), nanos::get);
        // b has the larger budget, so without its answer it would get most of the spills
        slot.apply(Directive.permit(OffloadMode.PROXY, List.of("b", "c"), List.of(1000.0, 200.0), 60_000));
        ActiveDirective permit = slot.offloading(nanos.get());
        standing.learn(b, new SpareCapacity.Figure(0, 1, NOW));
        int toC = 0;
        for (int i = 0; i < 200; i++) {
            Peer p = permit.takeWithinBudget(peer -> !standing.isFull(peer), nanos.addAndGet(1_000_000L));
            assertTrue(p == null || p == c, "spilled to " + p);
            toC += p == c ? 1 : 0;
        }
        assertTrue(toC > 0, "c had room and got spills");
        standing.learn(b, new SpareCapacity.Figure(4, 0, NOW + 1));
        assertEquals(b, permit.takeWithinBudget(peer -> !standing.isFull(peer), nanos.addAndGet(1_000_000L)),
                "once b says it has room, its unspent budget is the least spent again");
    }

    @Test
    void aPeerThatMovesARequestHereWhileBackedUpIsPassedOverAsATarget() throws Exception {
        LocalLoad idle = new LocalLoad(() -> 0, () -> 0, () -> 20, () -> false);
        try (Forwarding fw = Forwarding.create(ForwardSettings.defaults(), marker, List.of(b, c), ThisHost.named("a"),
                idle)) {
            arrive(fw, marker, new HopMarker.Origin("c", false, 0, 12, 20));
            assertTrue(fw.isAvailable(c), "c moved a request here with no request waiting for its workers");
            arrive(fw, new HopMarker("another-secret-0123456789".getBytes(StandardCharsets.UTF_8), 30_000,
                    () -> NOW), new HopMarker.Origin("b", false, 5, 20, 20));
            assertTrue(fw.isAvailable(b), "a forged marker says nothing of b");
            arrive(fw, marker, new HopMarker.Origin("z", false, 5, 20, 20));
            assertTrue(fw.isAvailable(b) && fw.isAvailable(c), "an origin that is not a peer changes no peer");
            arrive(fw, marker, new HopMarker.Origin("b", false, 3, 20, 20));
            assertFalse(fw.isAvailable(b), "b moved a request here with 3 waiting for its workers");
            assertTrue(fw.isAvailable(c), "only the peer that was backed up");
        }
    }

    @Test
    void aBackedUpOriginIsPassedOverForTheHoldOrUntilItsOwnAnswerSaysItHasRoom() {
        PeerStanding standing = new PeerStanding(List.of(b, c), 500, nanos::get);
        standing.movedHereWhileBackedUp("b");
        assertTrue(standing.isFull(b));
        nanos.addAndGet(500_000_000L);
        assertFalse(standing.isFull(b), "no news for the hold: b is a target again");
        standing.movedHereWhileBackedUp("b");
        standing.learn(b, new SpareCapacity.Figure(5, 0, NOW));
        assertFalse(standing.isFull(b), "b's own answer with room, newer than any before, clears it");
        standing.learn(b, new SpareCapacity.Figure(0, 3, NOW + 1));
        nanos.addAndGet(400_000_000L);
        standing.movedHereWhileBackedUp("b");
        nanos.addAndGet(400_000_000L);
        assertTrue(standing.isFull(b), "a later move here extends the hold of an earlier full answer");
        standing.movedHereWhileBackedUp("nobody");
        PeerStanding notActedOn = new PeerStanding(List.of(b), 0, nanos::get);
        notActedOn.movedHereWhileBackedUp("b");
        assertFalse(notActedOn.isFull(b), "peerFullHold=0: not acted on");
    }

    private static void arrive(Forwarding fw, HopMarker issuer, HopMarker.Origin origin) {
        StubRequest request = StubRequest.get("/shop/page")
                .header(HopMarker.HEADER, issuer.issue("a", "GET", "http://127.0.0.1:8080/shop/page", origin));
        fw.inBand().arrived(request, new StubResponse());
    }
}
