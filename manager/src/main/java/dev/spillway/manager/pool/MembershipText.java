package dev.spillway.manager.pool;

import dev.spillway.settings.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The membership as text, one host a line: {@code member <id>}, {@code spare <id>} or {@code allocated <id>} (a host
 * that joined the pool by registering and that the manager made a member; an allocated host of {@code pool.spares} is
 * a {@code member} line); {@code #} comments and blank lines allowed. The file and the ZooKeeper copy
 * hold the same text. Read strictly: a wrong line stops start-up naming where it is, its number and the line.
 */
public final class MembershipText {
    static final String HEADER = "# Spillway membership, written by the manager (edit only while it is stopped):\n"
            + "# member <id> = in the cluster, a target; spare <id> = in the pool\n";

    private MembershipText() {
    }

    public static String write(Membership m) {
        StringBuilder text = new StringBuilder(HEADER);
        m.members().forEach(id -> text.append("member ").append(id).append('\n'));
        m.allocated().forEach(id -> text.append("allocated ").append(id).append('\n'));
        m.spares().forEach(id -> text.append("spare ").append(id).append('\n'));
        return text.toString();
    }

    /**
     * @param where names the source in errors, e.g. the file's path
     * @throws ConfigException naming {@code key}, {@code where}, the line number and the line
     */
    public static Membership parse(List<String> lines, String where, String key) {
        List<String> members = new ArrayList<>();
        List<String> spares = new ArrayList<>();
        List<String> allocated = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            String at = where + " line " + (i + 1) + " '" + line + "'";
            if (words.length != 2 || !List.of("member", "spare", "allocated").contains(words[0])) {
                throw new ConfigException(key, at + ": expected 'member <id>' or 'spare <id>' (or 'allocated <id>')");
            }
            if (!words[1].matches("[A-Za-z0-9._-]{1,64}")) {
                throw new ConfigException(key, at + ": a host id is 1-64 characters A-Z a-z 0-9 . _ -");
            }
            if (!seen.add(words[1])) {
                throw new ConfigException(key, at + ": host " + words[1] + " is listed twice");
            }
            (words[0].equals("member") ? members : words[0].equals("spare") ? spares : allocated).add(words[1]);
        }
        return new Membership(members, spares, allocated);
    }
}
