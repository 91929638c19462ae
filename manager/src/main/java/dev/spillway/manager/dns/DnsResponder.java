package dev.spillway.manager.dns;

import dev.spillway.manager.route.ClientNetwork;
import dev.spillway.manager.route.RouteOrder;
import dev.spillway.manager.route.RoutedHost;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One query in, one answer out (or nothing), as an authoritative server for one zone: no recursion, no I/O. The
 * server loops ({@link DnsServer}) call it from several threads; it keeps no state of its own.
 *
 * <ul>
 *   <li>A query that cannot be parsed, has no or several questions, or carries records in its answer or authority
 *   section gets FORMERR (shorter than a header: no reply, there is no id to answer to). Responses (QR set) are
 *   never answered, so two servers cannot be set to answer each other.</li>
 *   <li>Opcodes other than QUERY: NOTIMP. Classes other than IN (or ANY): REFUSED. Names outside the zone:
 *   REFUSED, as an authoritative-only server does. Names inside the zone that do not exist: NXDOMAIN with the SOA.
 *   Existing names asked for a type they do not have: NOERROR with no answer and the SOA (NODATA).</li>
 *   <li>A configured name asked for A, AAAA or ANY: the eligible hosts' addresses of that family in
 *   {@link RouteOrder} order, at most {@code dns.maxAnswers}. ANY is answered with the addresses only (RFC 8482's
 *   minimal answer), never with everything. No eligible host: NODATA.</li>
 *   <li>EDNS0: version 0 only (else BADVERS); the advertised UDP size is honoured between 512 and 1232 bytes.
 *   EDNS Client Subnet: its address picks the client's network for round-trip times when its source prefix covers
 *   a whole /24 (IPv4) or /48 (IPv6); the option is echoed with that scope, or scope 0 when it was not used.</li>
 *   <li>Over UDP an answer is at most {@value #AMPLIFICATION} times the query's size (and the EDNS/512-byte
 *   limit); what does not fit sets TC, and the client asks again over TCP, where no spoofed source can ask.</li>
 * </ul>
 */
public final class DnsResponder {
    /** Largest UDP answer, as a multiple of the query's size. */
    public static final int AMPLIFICATION = 4;
    /** The largest EDNS UDP size used (the DNS flag day 2020 value, which avoids IP fragmentation). */
    static final int MAX_UDP = 1232;
    private static final int HEADER = 12;
    private static final int BADVERS = 16;

    private final DnsSettings settings;
    private final RouteOrder order;
    private final long ttl;
    private final SOARecord soa;
    private final NSRecord ns;

    public DnsResponder(DnsSettings settings, RouteOrder order, long ttlSeconds) {
        this.settings = settings;
        this.order = order;
        this.ttl = ttlSeconds;
        Name zone = settings.zone();
        Name admin = Name.fromConstantString("hostmaster." + zone);
        long serial = (System.currentTimeMillis() / 1000) & 0xffffffffL;
        this.soa = new SOARecord(zone, DClass.IN, ttl, settings.nameServer(), admin, serial, 3600, 600, 86400, ttl);
        this.ns = new NSRecord(zone, DClass.IN, ttl, settings.nameServer());
    }

    /**
     * @param query  the query bytes ({@code length} of them from offset 0)
     * @param source who asked (the resolver, usually)
     * @param udp    true for UDP (size limits and TC apply), false for TCP
     * @return the answer's bytes, or null when nothing is to be sent
     */
    public byte[] answer(byte[] query, int length, InetAddress source, boolean udp) {
        if (length < HEADER || (query[2] & 0x80) != 0) {
            return null; // no id to answer to, or a response
        }
        byte[] in = java.util.Arrays.copyOf(query, length);
        Message q;
        try {
            q = new Message(in);
        } catch (IOException | RuntimeException e) {
            return formErr(in);
        }
        Header h = q.getHeader();
        Message r = new Message(h.getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setOpcode(h.getOpcode());
        if (h.getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        List<Record> questions = q.getSection(Section.QUESTION);
        if (h.getOpcode() != Opcode.QUERY) {
            questions.forEach(x -> r.addRecord(x, Section.QUESTION));
            r.getHeader().setRcode(Rcode.NOTIMP);
            return wire(r, null, length, udp, 0);
        }
        if (questions.size() != 1 || h.getCount(Section.ANSWER) != 0 || h.getCount(Section.AUTHORITY) != 0
                || opts(q) > 1) {
            r.getHeader().setRcode(Rcode.FORMERR);
            return wire(r, null, length, udp, 0);
        }
        Record question = questions.get(0);
        r.addRecord(question, Section.QUESTION);
        OPTRecord opt = q.getOPT();
        if (opt != null && opt.getVersion() != 0) {
            return wire(r, new OPTRecord(MAX_UDP, BADVERS >>> 4, 0), length, udp, 0);
        }
        int udpLimit = opt == null ? 512 : Math.max(512, Math.min(MAX_UDP, opt.getPayloadSize()));
        ClientSubnetOption ecs = clientSubnet(opt);
        InetAddress client = source;
        int scope = 0;
        if (ecs != null && ecs.getSourcePrefixLength() >= ClientNetwork.prefixFor(ecs.getAddress())) {
            client = ecs.getAddress();
            scope = ClientNetwork.prefixFor(client);
        }
        OPTRecord replyOpt = opt == null ? null : new OPTRecord(MAX_UDP, 0, 0, 0, ecs == null ? List.of()
                : List.of(new ClientSubnetOption(ecs.getSourcePrefixLength(), scope, ecs.getAddress())));

        Name name = question.getName();
        int type = question.getType();
        int dclass = question.getDClass();
        if (dclass != DClass.IN && dclass != DClass.ANY) {
            r.getHeader().setRcode(Rcode.REFUSED);
            return wire(r, replyOpt, length, udp, udpLimit);
        }
        if (!name.subdomain(settings.zone())) {
            r.getHeader().setRcode(Rcode.REFUSED);
            return wire(r, replyOpt, length, udp, udpLimit);
        }
        r.getHeader().setFlag(Flags.AA);
        Name canonical = name.canonicalize();
        boolean apex = canonical.equals(settings.zone());
        boolean served = settings.names().contains(canonical);
        if (apex && type == Type.SOA) {
            r.addRecord(soa, Section.ANSWER);
        } else if (apex && type == Type.NS) {
            r.addRecord(ns, Section.ANSWER);
        } else if (served && (type == Type.A || type == Type.AAAA || type == Type.ANY)) {
            List<Record> records = addresses(name, type, client);
            if (records.isEmpty()) {
                r.addRecord(soa, Section.AUTHORITY);
            }
            records.forEach(x -> r.addRecord(x, Section.ANSWER));
        } else if (apex || served || exists(canonical)) {
            r.addRecord(soa, Section.AUTHORITY); // NODATA
        } else {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
            r.addRecord(soa, Section.AUTHORITY);
        }
        return wire(r, replyOpt, length, udp, udpLimit);
    }

    /** An empty non-terminal (a parent of a configured name) or the NS name exists, with no records of its own. */
    private boolean exists(Name name) {
        if (name.equals(settings.nameServer())) {
            return true;
        }
        for (Name n : settings.names()) {
            if (n.subdomain(name)) {
                return true;
            }
        }
        return false;
    }

    private List<Record> addresses(Name name, int type, InetAddress client) {
        List<RoutedHost> hosts = order.order("", client);
        List<Record> out = new ArrayList<>();
        List<RoutedHost> given = new ArrayList<>();
        for (RoutedHost h : hosts) {
            if (out.size() >= settings.maxAnswers() || h.address() == null) {
                continue;
            }
            if (h.address() instanceof Inet4Address a && (type == Type.A || type == Type.ANY)) {
                out.add(new ARecord(name, DClass.IN, ttl, a));
                given.add(h);
            } else if (h.address() instanceof Inet6Address a && (type == Type.AAAA || type == Type.ANY)) {
                out.add(new AAAARecord(name, DClass.IN, ttl, a));
                given.add(h);
            }
        }
        order.answered(given);
        return out;
    }

    private static int opts(Message q) {
        int n = 0;
        for (Record x : q.getSection(Section.ADDITIONAL)) {
            if (x.getType() == Type.OPT) {
                n++;
            }
        }
        return n;
    }

    private static ClientSubnetOption clientSubnet(OPTRecord opt) {
        if (opt == null) {
            return null;
        }
        for (EDNSOption o : opt.getOptions(EDNSOption.Code.CLIENT_SUBNET)) {
            if (o instanceof ClientSubnetOption c) {
                return c;
            }
        }
        return null;
    }

    private static byte[] formErr(byte[] in) {
        Message r = new Message(((in[0] & 0xff) << 8) | (in[1] & 0xff));
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setOpcode((in[2] >>> 3) & 0xf);
        r.getHeader().setRcode(Rcode.FORMERR);
        return r.toWire();
    }

    /**
     * Over UDP: at most the client's limit and {@link #AMPLIFICATION} times the query; what does not fit is cut by
     * whole sections with TC set (the header and question always fit: they are about the query's own size).
     */
    private static byte[] wire(Message r, OPTRecord opt, int queryLength, boolean udp, int udpLimit) {
        if (opt != null) {
            r.addRecord(opt, Section.ADDITIONAL);
        }
        if (!udp) {
            return r.toWire();
        }
        int limit = Math.min(Math.max(udpLimit, 512), AMPLIFICATION * queryLength);
        byte[] full = r.toWire();
        if (full.length <= limit) {
            return full;
        }
        return truncated(r, opt, limit);
    }

    private static byte[] truncated(Message r, OPTRecord opt, int limit) {
        Message t = new Message(r.getHeader().getID());
        Header h = t.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.TC);
        h.setOpcode(r.getHeader().getOpcode());
        h.setRcode(r.getHeader().getRcode() & 0xf);
        for (int flag : new int[] {Flags.AA, Flags.RD}) {
            if (r.getHeader().getFlag(flag)) {
                h.setFlag(flag);
            }
        }
        r.getSection(Section.QUESTION).forEach(x -> t.addRecord(x, Section.QUESTION));
        if (opt != null) {
            t.addRecord(opt, Section.ADDITIONAL); // EDNS is answered with EDNS, also when truncated
            byte[] withOpt = t.toWire();
            if (withOpt.length <= limit) {
                return withOpt;
            }
            t.removeAllRecords(Section.ADDITIONAL);
        }
        byte[] out = t.toWire();
        if (out.length <= limit) {
            return out;
        }
        // a question too long to echo within the limit: the bare header still says "ask over TCP"
        t.removeAllRecords(Section.QUESTION);
        return t.toWire();
    }
}
