package dev.spillway.manager.web;

/**
 * One {@code pool} event of {@code /api/stream}: a change of the spare pool ({@code event} is one of
 * {@code allocate-started allocate-done release-started release-done hook-failed cold-passed-over}).
 *
 * @param seq numbers the pool's events from 1 without gaps, so a reader can tell it missed some
 */
public record PoolChange(long seq, long timeMillis, String event, String host, String detail) {
}
