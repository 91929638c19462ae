package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import java.util.Map;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;

/** A second manager in the same JVM fails to start on the taken MBean name, and leaves the first one's MBean alone. */
class SecondManagerTest {
    private static ManagerConfig config() throws Exception {
        return ManagerConfig.from(ConfigValues.of(Map.of(
                "http.port", "0",
                "jmx.port", "0")));
    }

    @Test
    void aFailedStartDoesNotUnregisterAnotherManagersMBean() throws Exception {
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        try (Manager first = Manager.start(config(), mbs)) {
            assertThrows(InstanceAlreadyExistsException.class, () -> Manager.start(config(), mbs));
            assertTrue(mbs.isRegistered(ObjectNames.manager()), "the running manager's MBean must stay registered");
        }
    }
}
