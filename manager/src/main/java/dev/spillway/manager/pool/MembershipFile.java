package dev.spillway.manager.pool;

import dev.spillway.settings.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The membership file the manager owns, in the form of {@link MembershipText}. Written to a temporary file in the
 * same directory, forced to disk and moved over the old one atomically, so a crash leaves either the old file or the
 * new one, never a torn one. A file an operator edited by hand is read strictly: a wrong line stops start-up with
 * its number.
 */
public final class MembershipFile {
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
        try {
            return MembershipText.parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString(), KEY);
        } catch (IOException e) {
            throw new ConfigException(KEY, file + " cannot be read: " + e);
        }
    }

    /** Replaces the file atomically; on failure the old file is left as it was. */
    public void write(Membership m) {
        String text = MembershipText.write(m);
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
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
