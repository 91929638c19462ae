package dev.spillway.manager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.settings.ConfigValues;
import dev.spillway.manager.Manager;
import dev.spillway.manager.ManagerConfig;
import dev.spillway.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Name answers from a real manager polling seven in-process scripted agents, asked over real UDP and TCP sockets by
 * dnsjava's resolver, by hand-made packets, and by {@code dig} (Debian bind9-dnsutils) where it is installed. Six
 * hosts have IPv4 addresses (192.0.2.1-6), one an IPv6 address; spread is 0 so the order is the load order alone.
 */
class NameAnswersTest {
    static final String ZONE = "sw.test.";
    static final String NAME = "w.sw.test.";
    static final Map<String, String> ADDRESS = new LinkedHashMap<>();
    static final Map<String, Double> CPU = new LinkedHashMap<>();
    static final Map<String, InProcessAgent> agents = new HashMap<>();
    static Manager manager;

    static {
        double[] cpu = {0.5, 0.1, 0.3, 0.7, 0.2, 0.4, 0.6};
        for (int i = 1; i <= 7; i++) {
            String id = "H" + i;
            ADDRESS.put(id, i == 7 ? "2001:db8::7" : "192.0.2." + i);
            CPU.put(id, cpu[i - 1]);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("spillway-dns");
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", "0");
        m.put("poll.interval", "1500ms");
        m.put("selection.spread", "0");
        m.put("dns.listen", "127.0.0.1:0");
        m.put("dns.zone", ZONE);
        m.put("dns.names", NAME);
        m.put("hosts", String.join(",", ADDRESS.keySet()));
        for (String id : ADDRESS.keySet()) {
            InProcessAgent a = InProcessAgent.start(dir, id, figures(id, CPU.get(id), true));
            agents.put(id, a);
            m.put("host." + id + ".jmx", a.url);
            m.put("host." + id + ".address", ADDRESS.get(id));
        }
        manager = Manager.start(ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer());
        Await.until("all six IPv4 hosts in the answer", () -> addresses(query(Type.A)).size() == 6);
    }

    @AfterAll
    static void stop() {
        if (manager != null) {
            manager.close();
        }
        agents.values().forEach(InProcessAgent::close);
    }

    static String figures(String id, double cpu, boolean healthy) {
        return "systemCpu=" + cpu + "\nqueueDelayMillis=1\nhealthUp=" + healthy + "\n";
    }

    static SimpleResolver resolver() throws IOException {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", manager.dnsPort()));
        r.setTimeout(Duration.ofSeconds(10));
        return r;
    }

    static Message query(int type) {
        try {
            return resolver().send(Message.newQuery(Record.newRecord(Name.fromString(NAME), type, DClass.IN)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> addresses(Message m) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) {
                out.add(a.getAddress().getHostAddress());
            } else if (r instanceof AAAARecord a) {
                out.add(a.getAddress().getHostAddress());
            }
        }
        return out;
    }

    static List<String> byCpu() {
        return CPU.entrySet().stream().filter(e -> !e.getKey().equals("H7"))
                .sorted(Map.Entry.comparingByValue()).map(e -> ADDRESS.get(e.getKey())).toList();
    }

    static void setCpu(String id, double cpu) throws Exception {
        CPU.put(id, cpu);
        agents.get(id).setFigures(figures(id, cpu, true));
    }

    @Test
    void addressesComeLeastLoadedFirstAndFollowTheLoadAsItChanges() throws Exception {
        Message m = query(Type.A);
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertTrue(m.getHeader().getFlag(Flags.AA), "authoritative");
        Await.until("answers ordered by CPU load " + byCpu(), () -> addresses(query(Type.A)).equals(byCpu()));
        setCpu("H2", 0.8); // was the least loaded: now the most
        setCpu("H4", 0.05); // was the most: now the least
        Await.until("H4 first and H2 last as the load changed: " + byCpu(),
                () -> addresses(query(Type.A)).equals(byCpu()));
    }

    @Test
    void theTtlIsTheControlIntervalRoundedUpToSeconds() {
        Message m = query(Type.A);
        for (Record r : m.getSection(Section.ANSWER)) {
            assertEquals(2, r.getTTL(), "poll.interval 1500ms -> TTL 2 s: " + r);
        }
        assertFalse(m.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void aaaaAnswersCarryTheIpv6HostAndAnyOnlyTheAddresses() {
        assertEquals(List.of("2001:db8:0:0:0:0:0:7"), addresses(query(Type.AAAA)));
        Message any = query(Type.ANY);
        assertEquals(7, any.getSection(Section.ANSWER).size(), any.toString());
        for (Record r : any.getSection(Section.ANSWER)) {
            assertTrue(r.getType() == Type.A || r.getType() == Type.AAAA, "ANY gives addresses only: " + r);
        }
    }

    @Test
    void drainedAndUnhealthyHostsAreLeftOutAndComeBack() throws Exception {
        manager.table().setDrained("H5", true);
        agents.get("H3").setFigures(figures("H3", CPU.get("H3"), false));
        try {
            Await.until("drained H5 and unhealthy H3 left out", () -> {
                List<String> a = addresses(query(Type.A));
                return !a.contains("192.0.2.5") && !a.contains("192.0.2.3") && a.size() == 4;
            });
        } finally {
            manager.table().setDrained("H5", false);
            agents.get("H3").setFigures(figures("H3", CPU.get("H3"), true));
        }
        Await.until("H5 and H3 back", () -> addresses(query(Type.A)).size() == 6);
    }

    @Test
    void unknownNamesInTheZoneAreNxdomainWithTheSoaAndOtherZonesAreRefused() throws Exception {
        Message nx = resolver().send(Message.newQuery(Record.newRecord(Name.fromString("nope.sw.test."), Type.A,
                DClass.IN)));
        assertEquals(Rcode.NXDOMAIN, nx.getRcode());
        assertTrue(nx.getHeader().getFlag(Flags.AA));
        assertEquals(Type.SOA, nx.getSection(Section.AUTHORITY).get(0).getType());

        Message other = resolver().send(Message.newQuery(Record.newRecord(Name.fromString("www.example.com."),
                Type.A, DClass.IN)));
        assertEquals(Rcode.REFUSED, other.getRcode());
        assertFalse(other.getHeader().getFlag(Flags.AA));

        Message mx = resolver().send(Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.MX, DClass.IN)));
        assertEquals(Rcode.NOERROR, mx.getRcode(), "NODATA: the name exists, without MX");
        assertTrue(mx.getSection(Section.ANSWER).isEmpty());
        assertEquals(Type.SOA, mx.getSection(Section.AUTHORITY).get(0).getType());

        Message soa = resolver().send(Message.newQuery(Record.newRecord(Name.fromString(ZONE), Type.SOA,
                DClass.IN)));
        assertEquals(Type.SOA, soa.getSection(Section.ANSWER).get(0).getType());
        Message ns = resolver().send(Message.newQuery(Record.newRecord(Name.fromString(ZONE), Type.NS, DClass.IN)));
        assertEquals("ns.sw.test.", ns.getSection(Section.ANSWER).get(0).rdataToString());
    }

    @Test
    void aRouteFromTheApiHasTheSameOrderAndTheAddresses() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        Await.until("/api/route lists the DNS answer's addresses in the same order", () -> {
            try {
                JsonNode route = json.readTree(http.send(HttpRequest.newBuilder(
                        URI.create(manager.httpUrl() + "/api/route")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                List<String> fromApi = new ArrayList<>();
                route.forEach(h -> {
                    if (!h.get("address").asText().contains(":")) {
                        fromApi.add(h.get("address").asText());
                    }
                });
                return fromApi.equals(addresses(query(Type.A))) && route.size() == 7;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(
                URI.create(manager.httpUrl() + "/api/route?client=evil.example")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("client=evil.example"), bad.body());
    }

    @Test
    void aTakenDnsPortStopsStartWithTheKeyNamed() {
        Map<String, String> m = new HashMap<>();
        m.put("http.port", "0");
        m.put("jmx.port", "0");
        m.put("dns.listen", "127.0.0.1:" + manager.dnsPort());
        m.put("dns.zone", ZONE);
        m.put("dns.names", NAME);
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Manager.start(
                ManagerConfig.from(ConfigValues.of(m)), MBeanServerFactory.newMBeanServer()).close());
        assertTrue(e.getMessage().startsWith("dns.listen=127.0.0.1:" + manager.dnsPort()), e.getMessage());
    }

    // ---- hand-made packets: what a resolver library would never send ----

    static byte[] udp(byte[] query) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(10_000);
            s.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), manager.dnsPort()));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return java.util.Arrays.copyOf(buf, p.getLength());
        }
    }

    /** A query for {@code name} without EDNS, as bytes. */
    static byte[] plainQuery(int id, String name, int type) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        q.getHeader().setID(id);
        return q.toWire();
    }

    @Test
    void garbageGetsFormerrWithItsIdAndTooShortToAnswerGetsNothing() throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(10_000);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), manager.dnsPort());
            // five bytes: no header, nothing to answer; the next answer on this socket is the real query's
            s.send(new DatagramPacket(new byte[] {1, 2, 3, 4, 5}, 5, to));
            byte[] junk = new byte[40];
            junk[0] = 0x12;
            junk[1] = 0x34;
            junk[5] = 1; // one question, then bytes that are no name
            for (int i = 12; i < junk.length; i++) {
                junk[i] = (byte) 0xff;
            }
            s.send(new DatagramPacket(junk, junk.length, to));
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            Message r = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
            assertEquals(0x1234, r.getHeader().getID(), "the first reply is to the 40-byte query");
            assertEquals(Rcode.FORMERR, r.getRcode());
        }
    }

    @Test
    void aCompressionPointerLoopIsFormerr() throws Exception {
        // header (id 0x0707, 1 question) + a name that is a pointer to itself at offset 12
        byte[] q = {0x07, 0x07, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
        Message r = new Message(udp(q));
        assertEquals(0x0707, r.getHeader().getID());
        assertEquals(Rcode.FORMERR, r.getRcode());
    }

    @Test
    void twoQuestionsOrAResponseAreNotAnsweredAsQueries() throws Exception {
        Message two = Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.A, DClass.IN));
        two.addRecord(Record.newRecord(Name.fromString(ZONE), Type.SOA, DClass.IN), Section.QUESTION);
        assertEquals(Rcode.FORMERR, new Message(udp(two.toWire())).getRcode());
    }

    @Test
    void anAnswerTooBigForTheQuerysSizeIsTruncatedAndComesWholeOverTcp() throws Exception {
        byte[] q = plainQuery(0x2222, NAME, Type.A); // 27 bytes: a UDP answer may be 108 bytes, 5 addresses
        byte[] answer = udp(q);
        Message r = new Message(answer);
        assertTrue(r.getHeader().getFlag(Flags.TC), "six addresses do not fit in 4 x 27 bytes: TC");
        assertTrue(answer.length <= 4 * q.length, answer.length + " bytes for a " + q.length + "-byte query");

        Message whole = new Message(tcp(q));
        assertFalse(whole.getHeader().getFlag(Flags.TC));
        assertEquals(byCpuAnyOrder(), addresses(whole).stream().sorted().toList());
    }

    static List<String> byCpuAnyOrder() {
        return byCpu().stream().sorted().toList();
    }

    static byte[] tcp(byte[] query) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), manager.dnsPort())) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] b = new byte[in.readUnsignedShort()];
            in.readFully(b);
            return b;
        }
    }

    @Test
    void overTcpGarbageIsFormerrAndTheConnectionGoesOnServing() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), manager.dnsPort())) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] junk = {0x44, 0x44, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
            out.writeShort(junk.length);
            out.write(junk);
            byte[] query = plainQuery(0x4545, NAME, Type.A);
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            byte[] first = new byte[in.readUnsignedShort()];
            in.readFully(first);
            assertEquals(Rcode.FORMERR, new Message(first).getRcode());
            byte[] second = new byte[in.readUnsignedShort()];
            in.readFully(second);
            Message ok = new Message(second);
            assertEquals(0x4545, ok.getHeader().getID());
            assertEquals(6, addresses(ok).size(), "TCP has no amplification cap: all six addresses");
        }
    }

    @Test
    void anOversizedQueryNeverGetsAnAnswerLargerThanTheEdnsLimit() throws Exception {
        // a valid question padded with a 3000-byte EDNS option: the answer stays within the 1232-byte EDNS cap
        Message m = Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.ANY, DClass.IN));
        m.addRecord(new OPTRecord(65535, 0, 0, 0, List.of(new org.xbill.DNS.GenericEDNSOption(65001,
                new byte[3000]))), Section.ADDITIONAL);
        byte[] q = m.toWire();
        byte[] answer = udp(q);
        assertTrue(answer.length <= 1232, answer.length + " bytes");
        assertEquals(Rcode.NOERROR, new Message(answer).getRcode());
    }

    @Test
    void ednsVersionOneIsBadvers() throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.A, DClass.IN));
        m.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
        Message r = new Message(udp(m.toWire()));
        assertEquals(Rcode.BADVERS, r.getRcode());
        assertTrue(r.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void theClientSubnetIsEchoedWithTheScopeItWasUsedFor() throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.A, DClass.IN));
        m.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(24, 0,
                InetAddress.getByName("198.51.100.0")))), Section.ADDITIONAL);
        Message r = new Message(udp(m.toWire()));
        ClientSubnetOption echoed = (ClientSubnetOption) r.getOPT().getOptions(
                org.xbill.DNS.EDNSOption.Code.CLIENT_SUBNET).get(0);
        assertEquals(24, echoed.getScopePrefixLength());
        assertEquals(InetAddress.getByName("198.51.100.0"), echoed.getAddress());

        Message coarse = Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.A, DClass.IN));
        coarse.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(16, 0,
                InetAddress.getByName("198.51.0.0")))), Section.ADDITIONAL);
        ClientSubnetOption notUsed = (ClientSubnetOption) new Message(udp(coarse.toWire())).getOPT().getOptions(
                org.xbill.DNS.EDNSOption.Code.CLIENT_SUBNET).get(0);
        assertEquals(0, notUsed.getScopePrefixLength(), "a /16 names no /24: not used for the answer");
    }

    // ---- dig, the tool an operator would use ----

    static String dig(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(manager.dnsPort()),
                "+tries=1", "+time=10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out.toString(StandardCharsets.UTF_8);
    }

    static boolean digInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "dig"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void digGetsTheOrderedAnswerAndFallsBackToTcpWhenTruncated() throws Exception {
        Assumptions.assumeTrue(digInstalled(), "dig is not installed (Debian package bind9-dnsutils; .ci/run"
                + " installs it): the dig checks did not run");
        Await.until("dig +short lists the addresses least loaded first", () -> {
            try {
                return List.of(dig("+short", NAME, "A").trim().split("\\s+")).equals(byCpu());
            } catch (Exception e) {
                return false;
            }
        });
        String noEdns = dig("+noedns", "+ignore", NAME, "A");
        assertTrue(noEdns.contains("flags: qr aa tc"), "without EDNS the six addresses do not fit: " + noEdns);
        String fallback = dig("+noedns", NAME, "A");
        assertTrue(fallback.contains("Truncated, retrying in TCP mode"), fallback);
        assertEquals(6, fallback.lines().filter(l -> l.startsWith(NAME) && l.contains("\tA\t")).count(), fallback);
        String nx = dig("nope." + ZONE, "A");
        assertTrue(nx.contains("status: NXDOMAIN"), nx);
    }
}
