package dev.spillway.filter.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/catalog/item", "/a%20b", "/caf%C3%A9", "/a.b/c", "/a..b", "/.well-known/x",
        "/a/.hidden", "/a%41"})
    void plainRawUrisPass(String raw) {
        assertTrue(PathGuard.rawUriIsPlain(raw), raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin;x=1", "/public/..;/admin", "/%2e/admin", "/%2E%2E/admin", "/a%2fb", "/a%2Fb",
        "/a%5cb", "/a%00", "/%u0061dmin", "/%U0061", "/a\\b", "//admin", "/a//b", "/a/./b", "/a/../b", "/a/..",
        "/a/.", "/a%", "/a%2", "admin", "", "http://evil/admin", "/a b", "/a\tb", "/a\u007f"})
    void suspiciousRawUrisAreRefused(String raw) {
        assertFalse(PathGuard.rawUriIsPlain(raw), raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/catalog/item", "/a b", "/café", "/a.b"})
    void canonicalDecodedPathsPass(String path) {
        assertTrue(PathGuard.decodedPathIsPlain(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "admin", "/%61dmin", "/a\\b", "/a;b", "//a", "/a/../b", "/a/./b", "/a/..", "/a\u0000",
        "/a\nb"})
    void nonCanonicalDecodedPathsAreRefused(String path) {
        assertFalse(PathGuard.decodedPathIsPlain(path), path);
    }

    @org.junit.jupiter.api.Test
    void nullIsRefused() {
        assertFalse(PathGuard.rawUriIsPlain(null));
        assertFalse(PathGuard.decodedPathIsPlain(null));
    }
}
