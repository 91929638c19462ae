package dev.spillway.manager.policy;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;

/**
 * The overload condition's settings ({@code threshold.<metric>.high|low}, {@code hysteresis.*}), described once and
 * read into {@link Thresholds}. A low mark above its high mark is refused, naming the low mark's key.
 */
public final class ThresholdSettings {
    static final Setting<Double> QUEUE_LENGTH_HIGH = Setting.decimal("threshold.queueLength.high", 50, 0.001, 1e9,
            "queue length (requests waiting for or holding a worker) above which a host counts toward overload;"
            + " also the stress factor's scale");
    static final Setting<Double> QUEUE_LENGTH_LOW = Setting.decimal("threshold.queueLength.low", 20, 0, 1e9,
            "queue length below which an overload counts toward its end");
    static final Setting<Long> QUEUE_DELAY_HIGH = Setting.duration("threshold.queueDelay.high", 200, 1, 3_600_000,
            "queue delay (arrival at the connector to the filter) high mark");
    static final Setting<Long> QUEUE_DELAY_LOW = Setting.duration("threshold.queueDelay.low", 100, 0, 3_600_000,
            "queue delay low mark");
    static final Setting<Double> CPU_HIGH = Setting.decimal("threshold.cpu.high", 0.85, 0.01, 1,
            "CPU high mark, 0..1 (the host's cgroup, else the machine; this JVM's when unknown)");
    static final Setting<Double> CPU_LOW = Setting.decimal("threshold.cpu.low", 0.70, 0, 1, "CPU low mark");
    static final Setting<Double> MEMORY_HIGH = Setting.decimal("threshold.memory.high", 0.90, 0.01, 1,
            "memory high mark, 0..1 (JVM heap used/max; machine memory when the heap has no max)");
    static final Setting<Double> MEMORY_LOW = Setting.decimal("threshold.memory.low", 0.80, 0, 1, "memory low mark");
    static final Setting<Double> RESPONSE_RATIO_HIGH = Setting.decimal("threshold.responseRatio.high", 3.0, 1.01,
            1000, "health response time as a multiple of the host's unloaded baseline: high mark");
    static final Setting<Double> RESPONSE_RATIO_LOW = Setting.decimal("threshold.responseRatio.low", 2.0, 1, 1000,
            "response time multiple: low mark");
    static final Setting<Integer> ENTER = Setting.integer("hysteresis.enter", 3, 1, 1000,
            "samples a metric stays above its high mark before the host is overloaded");
    static final Setting<Integer> LEAVE = Setting.integer("hysteresis.leave", 5, 1, 1000,
            "samples every high metric stays below its low mark before the overload ends");
    static final Setting<Double> SURGE = Setting.of("hysteresis.surge", "2", "one sample at this multiple of a"
            + " high mark is overload at once; agents alert the manager when queue length or delay reaches it, and"
            + " the manager runs its next cycle at once (0 = always wait, and no alerts)", ThresholdSettings::surge);

    /** In the order of the README table and {@code --help}. */
    public static final SettingList SETTINGS = SettingList.of(QUEUE_LENGTH_HIGH, QUEUE_LENGTH_LOW, QUEUE_DELAY_HIGH,
            QUEUE_DELAY_LOW, CPU_HIGH, CPU_LOW, MEMORY_HIGH, MEMORY_LOW, RESPONSE_RATIO_HIGH, RESPONSE_RATIO_LOW,
            ENTER, LEAVE, SURGE);

    private ThresholdSettings() {
    }

    /** @throws ConfigException naming the key, the value and the expected form */
    public static Thresholds read(ConfigValues c) {
        return new Thresholds(marks(c, QUEUE_LENGTH_HIGH.read(c), QUEUE_LENGTH_LOW),
                marks(c, QUEUE_DELAY_HIGH.read(c), QUEUE_DELAY_LOW),
                marks(c, CPU_HIGH.read(c), CPU_LOW), marks(c, MEMORY_HIGH.read(c), MEMORY_LOW),
                marks(c, RESPONSE_RATIO_HIGH.read(c), RESPONSE_RATIO_LOW),
                ENTER.read(c), LEAVE.read(c), SURGE.read(c));
    }

    static Thresholds defaults() {
        return read(ConfigValues.empty());
    }

    private static Thresholds.Marks marks(ConfigValues c, double high, Setting<? extends Number> lowSetting) {
        double low = lowSetting.read(c).doubleValue();
        if (low > high) {
            throw new ConfigException(lowSetting.key(), c.string(lowSetting.key(), String.valueOf(low)),
                    "a value not above the matching high mark (" + high + ")");
        }
        return new Thresholds.Marks(high, low);
    }

    private static double surge(ConfigValues c, String key) {
        double surge = c.decimal(key, 2.0, 0, 1000);
        if (surge > 0 && surge < 1) {
            throw new ConfigException(key, c.string(key, ""),
                    "0 (off) or a multiple of the high mark of at least 1, e.g. 2");
        }
        return surge;
    }
}
