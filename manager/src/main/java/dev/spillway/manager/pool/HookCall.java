package dev.spillway.manager.pool;

/**
 * What a pool hook is told: the action and the host (its id, web base URL and agent JMX URL; a URL the manager does
 * not know yet, as for a cold spare, is empty).
 */
record HookCall(String action, String host, String webUrl, String jmxUrl) {
}
