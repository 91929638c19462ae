package dev.spillway.filter.probe;

import dev.spillway.settings.ConfigException;

/**
 * The {@code spillReserve} setting: how many of the pool's workers the valve keeps free for the next arrival, as a
 * count ({@code "1"}) or as a whole percent of the pool's maximum, rounded down ({@code "5%"}: 0 of 10 workers, 1 of
 * 20, 10 of 200). Immutable; {@link #workers} turns it into a count once the pool's size is known.
 */
public final class SpillReserve {
    static final int MAX_COUNT = 100_000;
    static final int MAX_PERCENT = 50;
    static final String EXPECTED = "a count of workers from 0 to " + MAX_COUNT + " (e.g. 1), or a whole percent of"
            + " the pool's maximum from 0% to " + MAX_PERCENT + "% (e.g. 5%)";

    private final int amount;
    private final boolean percent;

    private SpillReserve(int amount, boolean percent) {
        this.amount = amount;
        this.percent = percent;
    }

    /** {@code text} as a count or a percent; a {@link ConfigException} naming {@code key} if it is neither. */
    public static SpillReserve parse(String key, String text) {
        String t = text == null ? "" : text.trim();
        boolean pct = t.endsWith("%");
        String digits = pct ? t.substring(0, t.length() - 1).trim() : t;
        int max = pct ? MAX_PERCENT : MAX_COUNT;
        if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException(key, text, EXPECTED);
        }
        int n = Integer.parseInt(digits);
        if (n > max) {
            throw new ConfigException(key, text, EXPECTED);
        }
        return new SpillReserve(n, pct);
    }

    /** Workers to keep free in a pool of at most {@code poolMax} workers; 0 for a percent while the size is unknown. */
    public int workers(int poolMax) {
        if (!percent) {
            return amount;
        }
        return poolMax <= 0 ? 0 : (int) ((long) poolMax * amount / 100);
    }

    /** True if a percent of the pool, false if a count. */
    public boolean isPercent() {
        return percent;
    }

    @Override
    public String toString() {
        return amount + (percent ? "%" : "");
    }
}
