package dev.spillway.manager.route;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * A host's client-facing address: the per-host setting ({@code host.<id>.address}) when there is one, else the
 * host part of its web base URL when that is an IP literal. Names are never resolved here: a name answer must not
 * wait on another resolver, and a name may resolve differently for the manager than for clients.
 */
public final class HostAddress {
    private HostAddress() {
    }

    /** @return the address, or null when none is known */
    public static InetAddress of(String configured, String webBaseUrl) {
        if (configured != null && !configured.isEmpty()) {
            return literal(configured);
        }
        if (webBaseUrl == null || webBaseUrl.isEmpty()) {
            return null;
        }
        try {
            String host = URI.create(webBaseUrl).getHost();
            return host == null ? null : literal(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An IPv4 or IPv6 literal (brackets allowed), or null if {@code s} is not one. */
    public static InetAddress literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.contains(":") && t.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(t); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
