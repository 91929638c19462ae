package dev.spillway.agent.jmx;

import java.time.Duration;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

/** Run in a child JVM with its own javax.net.ssl.trustStore: connects over TLS and prints an attribute. */
public final class TlsClientMain {
    private TlsClientMain() {
    }

    public static void main(String[] args) throws Exception {
        try (JMXConnector c = JmxClients.connect(args[0], args[1], args[2], true, Duration.ofSeconds(10))) {
            System.out.println("VALUE " + c.getMBeanServerConnection().getAttribute(
                    new ObjectName("dev.spillway:type=Test"), "Value"));
        }
    }
}
