package dev.spillway.manager.web;

/** Cycles completed, of which run early on an agent's alert, and the last one's duration. */
public record CycleCounters(long cycles, long earlyCycles, long lastCycleMillis) {
}
