package dev.spillway.manager.pool;

import dev.spillway.settings.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The membership file the manager owns: one host a line, {@code member <id>} or {@code spare <id>}, {@code #}
 * comments and blank lines allowed. Written to a temporary file in the same directory, forced to disk and moved over
 * the old one atomically, so a crash leaves either the old file or the new one, never a torn one. A file an operator
 * edited by hand is read strictly: a line that is not one of the two forms stops start-up with its number.
 */
public final class MembershipFile {
    static final String HEADER = "# Spillway membership, written by the manager (edit only while it is stopped):\n"
            + "# member <id> = in the cluster, a target; spare <id> = in the pool\n";
    private static final String KEY = "pool.file";

    private final Path file;

    public MembershipFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path path() {
        return file;
    }

    /** The file's content, or {@link Membership#EMPTY} when there is none yet. */
    public Membership read() {
        if (!Files.exists(file)) {
            return Membership.EMPTY;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(KEY, file + " cannot be read: " + e);
        }
        List<String> members = new ArrayList<>();
        List<String> spares = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            String where = file + " line " + (i + 1) + " '" + line + "'";
            if (words.length != 2 || !(words[0].equals("member") || words[0].equals("spare"))) {
                throw new ConfigException(KEY, where + ": expected 'member <id>' or 'spare <id>'");
            }
            if (!words[1].matches("[A-Za-z0-9._-]{1,64}")) {
                throw new ConfigException(KEY, where + ": a host id is 1-64 characters A-Z a-z 0-9 . _ -");
            }
            if (!seen.add(words[1])) {
                throw new ConfigException(KEY, where + ": host " + words[1] + " is listed twice");
            }
            (words[0].equals("member") ? members : spares).add(words[1]);
        }
        return new Membership(members, spares);
    }

    /** Replaces the file atomically; on failure the old file is left as it was. */
    public void write(Membership m) {
        StringBuilder text = new StringBuilder(HEADER);
        m.members().forEach(id -> text.append("member ").append(id).append('\n'));
        m.spares().forEach(id -> text.append("spare ").append(id).append('\n'));
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
                    ch.force(true); // on disk before the rename makes it the file
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("the file system of " + dir + " cannot rename atomically", e);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the membership file " + file, e);
        }
    }
}
