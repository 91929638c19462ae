package dev.spillway.filter.peers;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A configured peer: an id and the base URL where the same webapp lives on the peer
 * (e.g. {@code b=http://10.0.0.2:8080/shop}; for a root webapp {@code http://10.0.0.2:8080}). A moved request goes
 * to {@code baseUrl + checked path + ?query}. Only configured peers are ever targets.
 */
public final class Peer {
    private final String id;
    private final URI baseUri;
    private final String baseUrl;

    private Peer(String id, URI baseUri) {
        this.id = id;
        this.baseUri = baseUri;
        String s = baseUri.toString();
        this.baseUrl = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Parses {@code id=http://host:port/path} or a bare {@code http://host:port/path} (the id is then
     * {@code host:port}).
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static Peer parse(String entry) {
        String text = entry == null ? "" : entry.trim();
        String id = null;
        String url = text;
        int eq = text.indexOf('=');
        int scheme = text.indexOf("://");
        if (eq > 0 && (scheme < 0 || eq < scheme)) {
            id = text.substring(0, eq).trim();
            url = text.substring(eq + 1).trim();
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(entry, e.getMessage());
        }
        String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw invalid(entry, "scheme must be http or https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalid(entry, "needs a host, and no user info, query or fragment");
        }
        if (id == null) {
            id = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        }
        if (id.isEmpty() || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',' && c != '=')) {
            throw invalid(entry, "the id must be printable ASCII without spaces, ',' or '='");
        }
        return new Peer(id, uri);
    }

    private static IllegalArgumentException invalid(String entry, String why) {
        return new IllegalArgumentException("peer '" + entry + "' is not valid (" + why
                + "); expected id=http://host:port/context-path or http://host:port/context-path");
    }

    public String id() {
        return id;
    }

    public URI baseUri() {
        return baseUri;
    }

    /** The base URL without a trailing slash; append an absolute path ("/x") to it. */
    public String baseUrl() {
        return baseUrl;
    }

    /** True if {@code name} is this peer's id or its base URL (with or without a trailing slash). */
    public boolean isNamed(String name) {
        if (name == null) {
            return false;
        }
        String n = name.trim();
        return n.equals(id) || n.equals(baseUrl) || n.equals(baseUrl + "/");
    }

    @Override
    public String toString() {
        return id + "=" + baseUrl;
    }
}
