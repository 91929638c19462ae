package dev.spillway.manager.web;

import dev.spillway.manager.policy.SendReason;
import java.util.EnumMap;
import java.util.Map;

/**
 * Cycles completed, of which run early on an agent's alert, the last one's duration, and the directives and permits
 * that reached their hosts since start by why they were sent (a reason never sent reads 0).
 */
public record CycleCounters(long cycles, long earlyCycles, long lastCycleMillis, Map<SendReason, Long> sends) {
    public CycleCounters {
        EnumMap<SendReason, Long> all = new EnumMap<>(SendReason.class);
        for (SendReason r : SendReason.values()) {
            all.put(r, sends.getOrDefault(r, 0L));
        }
        sends = Map.copyOf(all);
    }

    public CycleCounters(long cycles, long earlyCycles, long lastCycleMillis) {
        this(cycles, earlyCycles, lastCycleMillis, Map.of());
    }
}
