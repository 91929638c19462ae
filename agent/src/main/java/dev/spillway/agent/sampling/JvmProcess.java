package dev.spillway.agent.sampling;

/** A watched JVM's operating-system process, as the JVM itself reports it (RuntimeMXBean). */
public record JvmProcess(long pid, long startMillis) {
}
