package dev.spillway.manager.route;

import java.net.InetAddress;

/**
 * One host of a route answer, best first: {@code score} is what it was ordered by (lower is better), {@code rttMillis}
 * the smoothed round-trip time its agent measured to the asking client's network (NaN when unknown), {@code address}
 * where clients reach it (null when neither a per-host address nor an address in its web base URL is known).
 */
public record RoutedHost(String id, String zone, double stress, double score, double rttMillis, InetAddress address) {
}
