package dev.spillway.manager.web;

/** One line of {@code GET /api/decisions}. */
public record Decision(long timeMillis, String host, String text) {
}
