package dev.spillway.distributions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The end of a child process's log, for failure messages. */
final class LogTail {
    private LogTail() {
    }

    static String of(Path log) {
        try {
            String all = Files.readString(log);
            return all.length() > 6000 ? all.substring(all.length() - 6000) : all;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
