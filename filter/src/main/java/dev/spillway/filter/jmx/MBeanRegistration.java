package dev.spillway.filter.jmx;

import dev.spillway.agent.contract.ObjectNames;
import java.lang.management.ManagementFactory;
import java.util.logging.Logger;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers a filter's MXBean in the platform MBeanServer under {@code dev.spillway:type=Filter,context=<ctx>}, and
 * removes exactly that registration on close. Two webapps with one context path in one JVM (two virtual hosts, two
 * embedded servers) both get an MBean: the second one gets an extra {@code instance=2} key instead of failing or
 * replacing the first. Agents find them all with {@code dev.spillway:type=Filter,*}.
 */
public final class MBeanRegistration implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MBeanRegistration.class.getName());
    private static final int MAX_INSTANCES = 100;

    private final MBeanServer server;
    private final ObjectName name;

    private MBeanRegistration(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    public static MBeanRegistration register(Object mbean, String contextPath) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName base = ObjectNames.filter(contextPath);
        for (int instance = 1; instance <= MAX_INSTANCES; instance++) {
            ObjectName name = instance == 1 ? base : ObjectNames.of(base + ",instance=" + instance);
            try {
                server.registerMBean(mbean, name);
                if (instance > 1) {
                    LOG.warning(() -> base + " is taken by another webapp in this JVM; registered as " + name);
                }
                return new MBeanRegistration(server, name);
            } catch (InstanceAlreadyExistsException taken) {
                // try the next instance number
            }
        }
        throw new InstanceAlreadyExistsException(base + " and " + MAX_INSTANCES + " instance names are all taken");
    }

    public ObjectName name() {
        return name;
    }

    @Override
    public void close() {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException alreadyGone) {
            // someone unregistered it by hand; nothing left to clean
        } catch (JMException e) {
            LOG.warning(() -> "could not unregister " + name + ": " + e);
        }
    }
}
