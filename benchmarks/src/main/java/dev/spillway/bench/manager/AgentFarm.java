package dev.spillway.bench.manager;

import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.jmx.JmxServerSettings;
import dev.spillway.agent.jmx.SecureJmxServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;

/**
 * Child process of {@link ManagerCycleBench} and {@link ShardsBench}: N simulated agents, each on its own real RMI
 * JMX connector (own port, as N hosts would be), one in twenty hot. Writes "id url" lines to a file, then prints
 * READY. Args: {@code N FILE FIRST_PORT [ID_PREFIX]} (ids are the prefix, {@code h} by default, and a number).
 */
public final class AgentFarm {
    public static void main(String[] args) throws Exception {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        int n = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        String prefix = args.length > 3 ? args[3] : "h";
        List<String> lines = new ArrayList<>();
        List<SecureJmxServer> keep = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            while (true) {
                String url = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
                MBeanServer mbs = MBeanServerFactory.newMBeanServer();
                mbs.registerMBean(new SimulatedAgent(id, url, i % 20 == 0), ObjectNames.agent());
                try {
                    keep.add(SecureJmxServer.start(JmxServerSettings.loopback(port++), mbs));
                    lines.add(id + " " + url);
                    break;
                } catch (IOException e) {
                    // port taken: try the next one
                }
            }
        }
        Files.write(out, lines);
        System.out.println("READY " + keep.size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
