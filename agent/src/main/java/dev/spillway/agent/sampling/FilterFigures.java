package dev.spillway.agent.sampling;

import javax.management.ObjectName;

/** What one filter MXBean reported in one sample; NaN / -1 for attributes it did not give. */
public record FilterFigures(ObjectName name, double queueLength, long queueLengthMax, String queueSource,
                            double queueDelayMillis, double queueDelayMaxMillis, long inFlight, long requests,
                            long errors, String directiveMode) {

    /** A queue figure read from the container's pool is shared by all its webapps and must not be added up. */
    public boolean queueIsContainerWide() {
        return queueSource != null && !queueSource.isEmpty() && !queueSource.equals("in-flight");
    }
}
