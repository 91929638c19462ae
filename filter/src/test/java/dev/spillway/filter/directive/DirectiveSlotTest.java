package dev.spillway.filter.directive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.OffloadMode;
import dev.spillway.filter.peers.Peer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DirectiveSlotTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Peer b = Peer.parse("b=http://127.0.0.1:8081/shop");
    private final Peer c = Peer.parse("c=http://127.0.0.1:8082/shop");
    private final DirectiveSlot slot = new DirectiveSlot(List.of(b, c), now::get);

    @Test
    void noDirectiveMeansLocal() {
        assertNull(slot.offloading(now.get()));
    }

    @Test
    void theLeaseEndsByItself() {
        slot.apply(Directive.of("PROXY", new String[] {"b"}, 0.5, 3_000));
        assertNotNull(slot.offloading(now.get()));
        ActiveDirective d = slot.offloading(now.get() + 2_999_000_000L);
        assertNotNull(d);
        assertEquals(1, d.remainingMillis(now.get() + 2_999_000_000L));
        assertNull(slot.offloading(now.get() + 3_000_000_000L), "lease of 3 s must be over after 3 s");
        assertNotNull(slot.lastApplied(), "the last directive is still known, just not in force");
    }

    @Test
    void renewalExtendsTheLease() {
        slot.apply(Directive.of("REDIRECT", new String[] {"b"}, 0.3, 3_000));
        now.addAndGet(2_000_000_000L);
        slot.apply(Directive.of("REDIRECT", new String[] {"b"}, 0.3, 3_000));
        assertNotNull(slot.offloading(now.get() + 2_500_000_000L));
    }

    @Test
    void anUnknownTargetIsRefusedAndNothingChanges() {
        slot.apply(Directive.of("PROXY", new String[] {"b"}, 0.5, 3_000));
        ActiveDirective before = slot.lastApplied();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> slot.apply(Directive.of("PROXY", new String[] {"c", "http://evil.example"}, 1.0, 3_000)));
        assertTrue(e.getMessage().contains("'http://evil.example'"), e.getMessage());
        assertTrue(e.getMessage().contains("b=http://127.0.0.1:8081/shop"), e.getMessage());
        assertSame(before, slot.lastApplied());
    }

    @Test
    void targetsResolveByIdOrBaseUrlInOrder() {
        slot.apply(Directive.of("proxy", new String[] {"http://127.0.0.1:8082/shop/", "b", "c"}, 1.0, 3_000));
        ActiveDirective d = slot.offloading(now.get());
        assertEquals(OffloadMode.PROXY, d.mode());
        assertEquals(List.of(c, b), d.targets());
        assertSame(c, d.pickTarget(PeerAvailability.ALWAYS));
        assertSame(b, d.pickTarget(PeerAvailability.ALWAYS));
        assertSame(c, d.pickTarget(PeerAvailability.ALWAYS), "moved requests take the targets in turn");
        assertSame(b, d.pickTarget(p -> p != c));
        assertSame(b, d.pickTarget(p -> p != c), "a skipped target passes its turn on");
        assertNull(d.pickTarget(p -> false));
    }

    @Test
    void localOrZeroFractionClears() {
        slot.apply(Directive.of("PROXY", new String[] {"b"}, 0.5, 3_000));
        slot.apply(new Directive(OffloadMode.LOCAL, List.of(), 0.0, 3_000));
        assertNull(slot.offloading(now.get()));
        slot.apply(Directive.of("PROXY", new String[] {"b"}, 0.0, 3_000));
        assertNull(slot.offloading(now.get()));
        slot.apply(Directive.of("PROXY", new String[] {"b"}, 0.5, 3_000));
        slot.clear();
        assertNull(slot.offloading(now.get()));
    }

    @Test
    void theLongestLeaseHoldsItsTermAndALongerOneIsRefused() {
        slot.apply(Directive.of("PROXY", new String[] {"b"}, 0.5, Directive.MAX_LEASE_MILLIS));
        assertNotNull(slot.offloading(now.get() + (Directive.MAX_LEASE_MILLIS - 1) * 1_000_000L));
        // Long.MAX_VALUE used to be accepted (and never ended); the contract now refuses it
        assertThrows(IllegalArgumentException.class,
                () -> Directive.of("PROXY", new String[] {"b"}, 0.5, Long.MAX_VALUE));
    }

    @Test
    void badDirectivesNameTheProblem() {
        assertThrows(IllegalArgumentException.class, () -> slot.apply(Directive.of("BOUNCE", new String[] {"b"}, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> slot.apply(Directive.of("PROXY", new String[0], 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> slot.apply(Directive.of("PROXY", new String[] {"b"}, 2, 1)));
        assertThrows(IllegalArgumentException.class, () -> slot.apply(Directive.of("PROXY", new String[] {"b"}, 1, 0)));
        assertNull(slot.lastApplied());
    }
}
