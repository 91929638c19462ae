package dev.spillway.agent.sampling;

/**
 * The unloaded response time: the lowest of the last {@code window} successful response times. The minimum, not an
 * average, because the quickest recent answer is the closest we get to "what this page costs without queueing".
 */
public final class ResponseTimeBaseline {
    private final double[] ring;
    private int next;
    private int size;

    public ResponseTimeBaseline(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1");
        }
        ring = new double[window];
    }

    public synchronized void add(double millis) {
        ring[next] = millis;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** NaN until a response was measured. */
    public synchronized double baseline() {
        double min = Double.NaN;
        for (int i = 0; i < size; i++) {
            if (!(ring[i] >= min)) {
                min = ring[i];
            }
        }
        return min;
    }
}
