package dev.spillway.filter.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.filter.rules.PageRules.Verdict;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PageRulesTest {

    private static List<UrlPattern> list(String... entries) {
        return Arrays.stream(entries).map(UrlPattern::parse).collect(Collectors.toList());
    }

    @Test
    void emptyAllowListAllowsEveryPage() {
        PageRules rules = new PageRules(list(), list("/admin/*"), list("/cart/*"));
        assertEquals(Verdict.MOVABLE, rules.judge("/anything"));
        assertEquals(Verdict.DENIED, rules.judge("/admin/x"));
        assertEquals(Verdict.STATEFUL, rules.judge("/cart"));
    }

    @Test
    void allowListRestrictsAndDenyAndStatefulWinOverIt() {
        PageRules rules = new PageRules(list("/catalog/*", "*.html"), list("/catalog/secret"), list("/catalog/cart/*"));
        assertEquals(Verdict.MOVABLE, rules.judge("/catalog/item"));
        assertEquals(Verdict.MOVABLE, rules.judge("/about.html"));
        assertEquals(Verdict.NOT_ALLOWED, rules.judge("/search"));
        assertEquals(Verdict.DENIED, rules.judge("/catalog/secret"));
        assertEquals(Verdict.STATEFUL, rules.judge("/catalog/cart/add"));
    }

    @Test
    void denyWinsOverStateful() {
        PageRules rules = new PageRules(list(), list("/x"), list("/x"));
        assertEquals(Verdict.DENIED, rules.judge("/x"));
    }

    @Test
    void allowIsCaseSensitiveButDenyAndStatefulAreNot() {
        PageRules rules = new PageRules(list("/catalog/*"), list("/admin"), list("/cart/*"));
        assertEquals(Verdict.NOT_ALLOWED, rules.judge("/CATALOG/item"));
        assertEquals(Verdict.DENIED, rules.judge("/ADMIN"));
        assertEquals(Verdict.STATEFUL, rules.judge("/Cart/view"));
    }

    @Test
    void denyAndStatefulAlsoCatchTrailingDotsAndSlashes() {
        PageRules rules = new PageRules(list(), list("/admin"), list("*.do"));
        assertEquals(Verdict.DENIED, rules.judge("/admin/"));
        assertEquals(Verdict.DENIED, rules.judge("/admin."));
        assertEquals(Verdict.DENIED, rules.judge("/admin./"));
        assertEquals(Verdict.STATEFUL, rules.judge("/cart.do."));
        assertEquals(Verdict.DENIED, rules.judge("/admin "));
        assertEquals(Verdict.MOVABLE, rules.judge("/administrator"));
        PageRules prefix = new PageRules(list(), list("/admin/*"), list());
        assertEquals(Verdict.DENIED, prefix.judge("/admin./users"));
        assertEquals(Verdict.DENIED, prefix.judge("/admin . /users"));
        assertEquals(Verdict.DENIED, prefix.judge("/Admin../users/"));
        assertEquals(Verdict.MOVABLE, prefix.judge("/admins/users"));
    }

    @Test
    void lenientFormCutsEachSegmentAndReturnsThePathItselfWhenNothingIsCut() {
        String s = "/plain/path.html";
        assertEquals(true, PageRules.lenientForm(s) == s);
        assertEquals("/", PageRules.lenientForm("/"));
        assertEquals("/a/b", PageRules.lenientForm("/a. /b./"));
        assertEquals("/a.b/c", PageRules.lenientForm("/a.b/c"));
        assertEquals("/a", PageRules.lenientForm("/a//"));
        assertEquals("/admin", PageRules.lenientForm("/.../admin"), "a segment of dots only is cut away");
        assertEquals("/admin/x", PageRules.lenientForm("/admin/ ./x"));
    }
}
