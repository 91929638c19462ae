package dev.spillway.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.HostLoad;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;

class SerialFilterTest {

    private static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(Main.SERIAL_FILTER));
            return in.readObject();
        }
    }

    /** An agent's load as it crosses RMI: the CompositeData the MXBean framework makes of a HostLoad. */
    private static CompositeData asSentByAnAgent(HostLoad load) throws Exception {
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        ObjectName name = new ObjectName("test:type=Agent");
        AgentMXBean agent = (AgentMXBean) java.lang.reflect.Proxy.newProxyInstance(getLoader(),
                new Class<?>[] {AgentMXBean.class}, (p, m, a) -> m.getName().equals("getHostLoad") ? load : null);
        mbs.registerMBean(new javax.management.StandardMBean(agent, AgentMXBean.class, true), name);
        return (CompositeData) mbs.getAttribute(name, "HostLoad");
    }

    private static ClassLoader getLoader() {
        return SerialFilterTest.class.getClassLoader();
    }

    @Test
    void admitsWhatAgentsSendAndRefusesOtherClasses() throws Exception {
        HostLoad load = HostLoad.builder("a").queueDelayMillis(42).build();
        CompositeData cd = (CompositeData) roundTrip(asSentByAnAgent(load));
        assertEquals(42.0, HostLoad.from(cd).getQueueDelayMillis());
        // the compact form the manager polls (a byte[]) passes too
        byte[] report = (byte[]) roundTrip(dev.spillway.agent.contract.LoadReport.encode(load));
        assertEquals(42.0, dev.spillway.agent.contract.LoadReport.decode(report).getQueueDelayMillis());
        assertEquals(ManagementFactory.getRuntimeMXBean().getName(), roundTrip(ManagementFactory.getRuntimeMXBean().getName()));
        assertThrows(InvalidClassException.class, () -> roundTrip(java.time.LocalDate.of(2026, 1, 1)));
        assertThrows(InvalidClassException.class, () -> roundTrip(new javax.swing.JLabel("x")));
    }
}
