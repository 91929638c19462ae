package dev.spillway.filter.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPatternTest {

    @Test
    void exactMatchesOnlyThePath() {
        UrlPattern p = UrlPattern.parse("/catalog/list");
        assertTrue(p.matches("/catalog/list"));
        assertFalse(p.matches("/catalog/list/"));
        assertFalse(p.matches("/catalog/lis"));
        assertFalse(p.matches("/Catalog/list"));
        assertTrue(p.matchesIgnoringCase("/Catalog/LIST"));
    }

    @Test
    void prefixMatchesTheBaseAndBelowButNotSiblings() {
        UrlPattern p = UrlPattern.parse("/admin/*");
        assertTrue(p.matches("/admin"));
        assertTrue(p.matches("/admin/"));
        assertTrue(p.matches("/admin/users/1"));
        assertFalse(p.matches("/administrator"));
        assertFalse(p.matches("/public/admin"));
        assertTrue(p.matchesIgnoringCase("/ADMIN/x"));
        assertFalse(p.matchesIgnoringCase("/ADMINX"));
    }

    @Test
    void slashStarMatchesEverything() {
        UrlPattern p = UrlPattern.parse("/*");
        assertTrue(p.matches("/"));
        assertTrue(p.matches("/a/b.jsp"));
    }

    @Test
    void extensionLooksAtTheLastSegmentOnly() {
        UrlPattern p = UrlPattern.parse("*.jsp");
        assertTrue(p.matches("/a/b.jsp"));
        assertTrue(p.matches("/b.jsp"));
        assertFalse(p.matches("/a.jsp/b"));
        assertFalse(p.matches("/a/b.jspx"));
        assertTrue(p.matchesIgnoringCase("/a/B.JSP"));
        assertFalse(p.matchesIgnoringCase("/a.JSP/b"));
    }

    @Test
    void regexMustMatchTheWholePath() {
        UrlPattern p = UrlPattern.parse("regex:/api/v[0-9]{1,2}/.*");
        assertTrue(p.matches("/api/v2/items"));
        assertFalse(p.matches("/x/api/v2/items"));
        assertFalse(p.matches("/api/v123/items"));
        assertFalse(p.matches("/API/v2/items"));
        assertTrue(p.matchesIgnoringCase("/API/V2/items"));
    }

    @Test
    void aRegexDotMatchesLineTerminatorsToo() {
        UrlPattern p = UrlPattern.parse("regex:/admin/.*");
        for (String t : new String[] {"\u2028", "\u2029", "\u0085", "\n", "\r", "x\u2028y"}) {
            assertTrue(p.matches("/admin/" + t), "U+" + Integer.toHexString(t.charAt(0)));
            assertTrue(p.matchesIgnoringCase("/ADMIN/" + t));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "/a/*/b", "/a*", "*.", "*.a/b", "regex:", "regex:[unclosed", "**", "/a/**"})
    void malformedPatternsAreRefusedWithTheExpectedForm(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UrlPattern.parse(entry));
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }
}
