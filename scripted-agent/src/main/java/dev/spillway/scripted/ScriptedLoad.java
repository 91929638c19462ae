package dev.spillway.scripted;

import dev.spillway.agent.contract.HostLoad;
import dev.spillway.agent.sampling.LoadSource;
import dev.spillway.agent.sampling.QueueFigures;
import java.util.function.LongSupplier;

/**
 * Reports a {@link LoadScript}'s figures instead of measured ones. Everything the script does not name (directive
 * mode, filter count, and CPU or memory if unscripted) still comes from the real sampler underneath, so a scripted
 * agent relays and reports directives like a real one.
 */
public final class ScriptedLoad implements LoadSource {
    private final LoadSource measured;
    private final LoadScript script;
    private final LongSupplier clock;
    private final long startMillis;

    public ScriptedLoad(LoadSource measured, LoadScript script, LongSupplier clock) {
        this.measured = measured;
        this.script = script;
        this.clock = clock;
        this.startMillis = clock.getAsLong();
    }

    @Override
    public HostLoad sample() {
        HostLoad.Builder b = measured.sample().toBuilder();
        LoadScript.apply(script.figuresAt(clock.getAsLong() - startMillis), b);
        return b.build();
    }

    /** The script's queue figures where it sets them, the measured ones otherwise. */
    @Override
    public QueueFigures queueFigures() {
        HostLoad.Builder b = HostLoad.builder("scripted");
        LoadScript.apply(script.figuresAt(clock.getAsLong() - startMillis), b);
        HostLoad scripted = b.build();
        QueueFigures measuredNow = measured.queueFigures();
        return new QueueFigures(
                Double.isNaN(scripted.getQueueLength()) ? measuredNow.queueLength() : scripted.getQueueLength(),
                Double.isNaN(scripted.getQueueDelayMillis()) ? measuredNow.queueDelayMillis()
                        : scripted.getQueueDelayMillis());
    }
}
