package dev.spillway.agent.sampling;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One established connection's peer and the kernel's smoothed round-trip time to it ({@code tcp_info.tcpi_rtt}),
 * parsed from {@code ss -tinH state established}: a line {@code Recv-Q Send-Q local peer}, then an indented line
 * of TCP details carrying {@code rtt:<srtt ms>/<rttvar ms>}. A connection without an {@code rtt:} is skipped
 * (unknown, never 0); IPv4-mapped IPv6 peers count as IPv4.
 */
public record SocketRtt(InetAddress peer, double rttMillis) {
    private static final Pattern RTT = Pattern.compile("(?:^|\\s)rtt:([0-9.]+)/");

    public static List<SocketRtt> parse(String ssOutput) {
        List<SocketRtt> out = new ArrayList<>();
        InetAddress peer = null;
        for (String line : ssOutput.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                String[] cols = line.trim().split("\\s+");
                peer = cols.length >= 4 ? address(cols[3]) : null;
                continue;
            }
            Matcher m = RTT.matcher(line);
            if (peer != null && m.find()) {
                double rtt = Double.parseDouble(m.group(1));
                if (rtt >= 0 && !Double.isInfinite(rtt)) {
                    out.add(new SocketRtt(peer, rtt));
                }
            }
            peer = null;
        }
        return out;
    }

    /** {@code 10.0.0.1:80}, {@code [2001:db8::1]:80}, {@code [::ffff:10.0.0.1]:80}; null when not an address. */
    static InetAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        if (!host.matches("[0-9A-Fa-f:.]+")) {
            return null; // ss printed a name (it should not with -n): no guessing
        }
        try {
            return InetAddress.getByName(host); // a literal: parsed, never looked up; ::ffff:a.b.c.d becomes IPv4
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
