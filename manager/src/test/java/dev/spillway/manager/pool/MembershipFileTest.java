package dev.spillway.manager.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The membership file on a real file system: what is written is read back, and a wrong line is named. */
class MembershipFileTest {
    @TempDir
    Path dir;

    @Test
    void whatIsWrittenIsReadBackAndNoTemporaryFileStays() throws Exception {
        MembershipFile f = new MembershipFile(dir.resolve("sub/pool.members"));
        assertEquals(Membership.EMPTY, f.read(), "no file yet: nothing allocated");
        f.write(new Membership(List.of("b", "a"), List.of("s2", "s1")));
        f.write(new Membership(List.of("b", "a", "s1"), List.of("s2")));

        assertEquals(new Membership(List.of("a", "b", "s1"), List.of("s2")), f.read());
        assertTrue(Files.readString(f.path()).endsWith("member a\nmember b\nmember s1\nspare s2\n"));
        try (Stream<Path> files = Files.list(f.path().getParent())) {
            assertEquals(List.of(f.path()), files.toList(), "the temporary file was moved over the old one");
        }
    }

    @Test
    void aHostThatJoinedByRegisteringIsWrittenAllocatedAndReadBackSo() throws Exception {
        MembershipFile f = new MembershipFile(dir.resolve("pool.members"));
        Membership m = new Membership(List.of("a"), List.of("s2"), List.of("s1"));
        f.write(m);
        assertEquals(m, f.read());
        assertTrue(Files.readString(f.path()).endsWith("member a\nallocated s1\nspare s2\n"), Files.readString(f.path()));
        assertTrue(m.isMember("s1") && m.isMember("a") && !m.isMember("s2"));
    }

    @Test
    void eachKindOfWrongLineIsNamedWithItsNumber() throws Exception {
        Path p = dir.resolve("pool.members");
        for (String[] c : new String[][] {
                {"member a\nspare\n", "line 2 'spare': expected 'member <id>' or 'spare <id>'"},
                {"# ok\n\nmembers a\n", "line 3 'members a'"},
                {"member a b\n", "line 1"},
                {"spare a/b\n", "line 1 'spare a/b': a host id is 1-64 characters"},
                {"member a\nspare a\n", "line 2 'spare a': host a is listed twice"}}) {
            Files.writeString(p, c[0]);
            ConfigException e = assertThrows(ConfigException.class, () -> new MembershipFile(p).read(), c[0]);
            assertEquals("pool.file", e.key());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
