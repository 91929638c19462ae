package dev.spillway.manager.web;

/**
 * One host of {@code GET /api/route}, best first (see {@code route.RouteOrder}): {@code score} is what it was ordered
 * by (lower first within a zone), {@code address} where clients reach it (null when unknown), {@code rttMillis} the
 * round-trip time its agent measured to the asked client's network (null when unknown or no client was given).
 */
public record RouteChoice(String id, String zone, double stress, double score, String address, Double rttMillis) {
    public RouteChoice(String id, String zone, double stress, double score, String address, double rttMillis) {
        this(id, zone, stress, score, address, Double.isNaN(rttMillis) ? null : rttMillis);
    }
}
