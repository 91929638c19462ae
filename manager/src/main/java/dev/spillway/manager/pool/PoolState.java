package dev.spillway.manager.pool;

import java.util.List;

/**
 * The pool as of the last cycle, for the API, dashboard and metrics (immutable).
 *
 * @param spares      pool hosts not allocated (never targets)
 * @param allocated   pool hosts the manager made members
 * @param releasing   allocated hosts no longer granted budgets, waiting for the moved requests to end
 * @param starting    cold spares whose allocation hook ran, not answering yet (still spares)
 * @param allocations allocations since start
 * @param releases    releases completed since start
 * @param hookFailures hook runs that failed since start
 */
public record PoolState(List<String> spares, List<String> allocated, List<String> releasing, List<String> starting,
                        long allocations,
                        long releases, long hookFailures) {
    public static final PoolState OFF = new PoolState(List.of(), List.of(), List.of(), List.of(), 0, 0, 0);
}
