package dev.spillway.manager.web;

/**
 * The spare pool's counts for the metrics (all 0 without a pool).
 *
 * @param spares       pool hosts not allocated
 * @param allocated    pool hosts that are members now (including those being released)
 * @param releasing    allocated hosts waiting for moved requests to end before they go back
 * @param allocations  allocations since start
 * @param releases     releases completed since start
 * @param hookFailures failed hook runs since start
 */
public record PoolFigures(int spares, int allocated, int releasing, long allocations, long releases,
                          long hookFailures) {
    public static final PoolFigures NONE = new PoolFigures(0, 0, 0, 0, 0, 0);
}
