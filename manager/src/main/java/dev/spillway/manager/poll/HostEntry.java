package dev.spillway.manager.poll;

/**
 * One row of the host table: where its agent is reached and where it came from. The id is the agent's host id,
 * and it is also the id under which the host appears in every filter's {@code peers} list: targets in directives
 * are these ids, so a filter can only ever be pointed at peers it was configured with.
 */
public record HostEntry(String id, String jmxUrl, String zone, String webBaseUrl, boolean configured,
                        long registeredAtMillis) {

    /**
     * The zone to use: this entry's (configured, or announced at registration) wins; an entry without one takes
     * what the agent reports ({@code reported}, may be null). The one place this precedence is decided.
     */
    public String zoneOr(String reported) {
        return zone.isEmpty() && reported != null ? reported : zone;
    }

    /** The web base URL to use, by the same rule as {@link #zoneOr}. */
    public String webBaseUrlOr(String reported) {
        return webBaseUrl.isEmpty() && reported != null ? reported : webBaseUrl;
    }
}
