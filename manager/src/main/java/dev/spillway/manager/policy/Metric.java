package dev.spillway.manager.policy;

import dev.spillway.agent.contract.HostLoad;

/** The load figures the policy judges, each read from a {@link HostLoad} with NaN for unknown. */
public enum Metric {
    QUEUE_LENGTH("queue length", "") {
        @Override public double of(HostLoad l) { return l.getQueueLength(); }
        @Override public double high(Thresholds t) { return t.queueLengthHigh(); }
        @Override public double low(Thresholds t) { return t.queueLengthLow(); }
    },
    QUEUE_DELAY("queue delay", " ms") {
        @Override public double of(HostLoad l) { return l.getQueueDelayMillis(); }
        @Override public double high(Thresholds t) { return t.queueDelayHighMs(); }
        @Override public double low(Thresholds t) { return t.queueDelayLowMs(); }
    },
    CPU("CPU", "") {
        @Override public double of(HostLoad l) { return cpu(l); }
        @Override public double high(Thresholds t) { return t.cpuHigh(); }
        @Override public double low(Thresholds t) { return t.cpuLow(); }
    },
    MEMORY("memory", "") {
        @Override public double of(HostLoad l) { return memory(l); }
        @Override public double high(Thresholds t) { return t.memoryHigh(); }
        @Override public double low(Thresholds t) { return t.memoryLow(); }
    },
    /** Health-check response time as a multiple of the host's own unloaded baseline. */
    RESPONSE_RATIO("response time vs baseline", "x") {
        @Override public double of(HostLoad l) { return responseRatio(l); }
        @Override public double high(Thresholds t) { return t.responseRatioHigh(); }
        @Override public double low(Thresholds t) { return t.responseRatioLow(); }
    };

    private final String label;
    private final String unit;

    Metric(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    public abstract double of(HostLoad load);

    public abstract double high(Thresholds t);

    public abstract double low(Thresholds t);

    public String label() {
        return label;
    }

    /** A value in words, e.g. "240 ms", "0.91", "3.2x". */
    public String format(double v) {
        if (this == QUEUE_DELAY || this == QUEUE_LENGTH) {
            return Math.round(v) + unit;
        }
        if (this == RESPONSE_RATIO) {
            return String.format(java.util.Locale.ROOT, "%.1f%s", v, unit);
        }
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    /** Whole-machine CPU, or this JVM's when the machine's is unknown. */
    public static double cpu(HostLoad l) {
        return Double.isNaN(l.getSystemCpu()) ? l.getProcessCpu() : l.getSystemCpu();
    }

    /**
     * JVM heap used/max (what runs out first in a Java server), or the machine's used memory fraction when the
     * heap has no maximum.
     */
    public static double memory(HostLoad l) {
        if (l.getHeapMaxBytes() > 0 && l.getHeapUsedBytes() >= 0) {
            return (double) l.getHeapUsedBytes() / l.getHeapMaxBytes();
        }
        return l.getSystemMemory();
    }

    public static double responseRatio(HostLoad l) {
        double base = l.getHealthBaselineMillis();
        double now = l.getHealthResponseMillis();
        if (Double.isNaN(base) || Double.isNaN(now) || base <= 0) {
            return Double.NaN;
        }
        return now / base;
    }
}
