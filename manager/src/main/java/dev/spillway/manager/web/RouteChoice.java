package dev.spillway.manager.web;

/** One host of {@code GET /api/route}: lower {@code score} first within a zone (the policy's selection score). */
public record RouteChoice(String id, String zone, double stress, double score) {
}
