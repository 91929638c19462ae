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
    // the sampler thread's only: the scripted over-budget count, and when it was last advanced
    private double scriptedOverBudget;
    private long lastLookMillis;

    public ScriptedLoad(LoadSource measured, LoadScript script, LongSupplier clock) {
        this.measured = measured;
        this.script = script;
        this.clock = clock;
        this.startMillis = clock.getAsLong();
        this.lastLookMillis = startMillis;
    }

    @Override
    public HostLoad sample() {
        HostLoad.Builder b = measured.sample().toBuilder();
        LoadScript.apply(script.figuresAt(clock.getAsLong() - startMillis), b);
        return b.build();
    }

    /**
     * The script's queue figures where it sets them, the measured ones otherwise. A scripted {@code overBudgetRate}
     * becomes the ever-growing count a filter would report: the count grows at that rate between two looks.
     */
    @Override
    public QueueFigures queueFigures() {
        long now = clock.getAsLong();
        HostLoad.Builder b = HostLoad.builder("scripted");
        LoadScript.apply(script.figuresAt(now - startMillis), b);
        HostLoad scripted = b.build();
        QueueFigures measuredNow = measured.queueFigures();
        double overBudget = measuredNow.overBudgetTotal();
        if (!Double.isNaN(scripted.getOverBudgetRate())) {
            scriptedOverBudget += scripted.getOverBudgetRate() * Math.max(0, now - lastLookMillis) / 1000.0;
            overBudget = scriptedOverBudget;
        }
        lastLookMillis = now;
        return new QueueFigures(
                Double.isNaN(scripted.getQueueLength()) ? measuredNow.queueLength() : scripted.getQueueLength(),
                Double.isNaN(scripted.getQueueDelayMillis()) ? measuredNow.queueDelayMillis()
                        : scripted.getQueueDelayMillis(),
                overBudget,
                Double.isNaN(scripted.getWaitingRequests()) ? measuredNow.waiting() : scripted.getWaitingRequests());
    }
}
