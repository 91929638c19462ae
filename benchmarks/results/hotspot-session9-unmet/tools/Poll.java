import javax.management.*;
import javax.management.remote.*;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

/** Reads host a's filter counters every 250 ms during a redirect row: the over-budget count and spills per second. */
public class Poll {
    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        Pattern p = Pattern.compile("service:jmx:rmi:///jndi/rmi://127.0.0.1:(\\d+)/jmxrmi");
        String url = null;
        for (int i = 0; i < 600 && url == null; i++) {
            if (Files.exists(log)) {
                Matcher m = p.matcher(Files.readString(log));
                if (m.find()) url = m.group();
            }
            if (url == null) Thread.sleep(200);
        }
        if (url == null) { System.out.println("no url"); return; }
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
            MBeanServerConnection s = c.getMBeanServerConnection();
            ObjectName n = new ObjectName("dev.spillway:type=Filter,context=/shop");
            long t0 = System.currentTimeMillis();
            while (true) {
                AttributeList l = s.getAttributes(n, new String[] {"SpillOverBudget", "Spilled", "WaitingRequests", "PermitBudgets", "Requests"});
                StringBuilder b = new StringBuilder().append(System.currentTimeMillis() - t0);
                for (Attribute a : l.asList()) {
                    Object v = a.getValue();
                    b.append(' ').append(a.getName()).append('=').append(v instanceof double[] d ? Arrays.toString(d) : v);
                }
                System.out.println(b);
                Thread.sleep(250);
            }
        } catch (Exception e) {
            System.out.println("end " + e);
        }
    }
}
