package dev.spillway.samples;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Stateless and CPU-heavy: {@code ?cost=N} hashes N rounds (default 2000, at most 1 000 000). */
public class WorkPage extends SamplePage {
    @Override
    String render(HttpServletRequest req, HttpServletResponse resp) {
        long cost = longParam(req, "cost", 2_000, 1_000_000);
        byte[] state = "spillway".getBytes(StandardCharsets.UTF_8);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (long i = 0; i < cost; i++) {
                state = sha.digest(state);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return "work " + cost + " " + String.format("%02x%02x", state[0], state[1]) + "\n";
    }
}
