package dev.spillway.filter.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.ObjectNames;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import org.junit.jupiter.api.Test;

class MBeanRegistrationTest {
    public interface ProbeMXBean {
        int getValue();
    }

    static final class Probe implements ProbeMXBean {
        @Override
        public int getValue() {
            return 1;
        }
    }

    @Test
    void aSecondWebappWithTheSameContextPathGetsAnInstanceKeyAndEachRemovesOnlyItsOwn() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try (MBeanRegistration first = MBeanRegistration.register(new Probe(), "/same")) {
            MBeanRegistration second = MBeanRegistration.register(new Probe(), "/same");
            assertEquals(ObjectNames.filter("/same"), first.name());
            assertEquals("dev.spillway:type=Filter,context=/same,instance=2", second.name().toString());
            second.close();
            assertFalse(server.isRegistered(second.name()));
            assertTrue(server.isRegistered(first.name()));
        }
        assertFalse(server.isRegistered(ObjectNames.filter("/same")));
    }
}
