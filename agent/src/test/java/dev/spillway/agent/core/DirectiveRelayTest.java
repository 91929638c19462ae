package dev.spillway.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.sampling.LocalJvm;
import dev.spillway.agent.testing.FakeFilter;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.StandardMBean;
import org.junit.jupiter.api.Test;

class DirectiveRelayTest {
    private final MBeanServer mbs = MBeanServerFactory.newMBeanServer();
    private final DirectiveRelay relay = new DirectiveRelay("h1", List.of(new LocalJvm(mbs)));

    private FakeFilter filter(String context) throws Exception {
        FakeFilter f = new FakeFilter();
        mbs.registerMBean(new StandardMBean(f, FilterMXBean.class, true), ObjectNames.filter(context));
        return f;
    }

    @Test
    void reachesEveryFilterAndNamesTheOneThatRefused() throws Exception {
        FakeFilter shop = filter("/shop");
        FakeFilter blog = filter("/blog");
        blog.peers = List.of("c");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> relay.apply("REDIRECT", new String[] {"b"}, 0.3, 3000));
        assertTrue(e.getMessage().contains("context=/blog") && e.getMessage().contains("not a configured peer")
                && !e.getMessage().contains("context=/shop"), e.getMessage());
        assertEquals("REDIRECT", shop.mode, "the filters that accept it still get it");
        assertEquals("b", shop.lastTargets);

        relay.clear();
        assertEquals("LOCAL", shop.mode);
    }

    @Test
    void aBadDirectiveReachesNoFilter() throws Exception {
        FakeFilter shop = filter("/shop");
        assertThrows(IllegalArgumentException.class, () -> relay.apply("TELEPORT", new String[] {"b"}, 0.3, 3000));
        assertThrows(IllegalArgumentException.class, () -> relay.apply("PROXY", new String[] {"b"}, 1.5, 3000));
        assertEquals("LOCAL", shop.mode);
    }

    @Test
    void noFilterIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> relay.apply("REDIRECT", new String[] {"b"}, 0.3, 3000));
        assertTrue(e.getMessage().contains("no Spillway filter"), e.getMessage());
        relay.clear(); // clearing nothing is fine
    }
}
