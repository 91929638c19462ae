package dev.spillway.bench.report;

/**
 * A bad command line of a benchmark program: the message names the option and what it expects (null: just print
 * the usage). The scenario programs catch it in main, print it with their usage text and exit with status 2.
 */
public final class Usage extends RuntimeException {
    public Usage(String message) {
        super(message);
    }

    /** {@code v} as a whole number from {@code min} to {@code max}, or a Usage naming {@code key}. */
    public static int whole(String key, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new Usage(key + ": '" + v + "' is not a whole number from " + min + " to " + max);
    }

    /** {@code v} as a number from {@code min} to {@code max}, or a Usage naming {@code key}. */
    public static double number(String key, String v, double min, double max) {
        try {
            double d = Double.parseDouble(v);
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new Usage(key + ": '" + v + "' is not a number from " + min + " to " + max);
    }
}
