package dev.spillway.manager.policy;

import dev.spillway.agent.contract.HostLoad;

/** Test loads: only the figures a test names are known, the rest stay unknown like a real sparse agent. */
final class Loads {
    private Loads() {
    }

    static HostLoad delay(String id, double ms) {
        return HostLoad.builder(id).queueDelayMillis(ms).build();
    }

    static HostLoad of(String id, double queueLength, double delayMs, double cpu, double memory) {
        return HostLoad.builder(id).queueLength(queueLength).queueDelayMillis(delayMs).systemCpu(cpu)
                .heapUsedBytes(Math.round(memory * 1000)).heapMaxBytes(1000).build();
    }

    /** A host with {@code workers} workers, {@code serviceMs} per request, receiving {@code rate} requests/s. */
    static HostLoad capacity(String id, long workers, double serviceMs, double rate) {
        return HostLoad.builder(id).queueDelayMillis(0).maxWorkers(workers).serviceTimeMillis(serviceMs)
                .requestRate(rate).build();
    }

    static HostLoad cpu(String id, double cpu) {
        return HostLoad.builder(id).systemCpu(cpu).build();
    }
}
