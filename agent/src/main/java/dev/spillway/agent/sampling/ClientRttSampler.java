package dev.spillway.agent.sampling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the kernel's per-connection smoothed RTT for the watched local ports by running
 * {@code ss -tinH state established '( sport = :P1 or sport = :P2 )'} (iproute2). The JDK cannot read
 * {@code tcp_info} of another process's sockets nor speak netlink, and the agent ships without libraries, so a
 * short-lived {@code ss} every few seconds is the passive way: nothing is sent to any client. Where {@code ss} is
 * missing or fails, the result is empty: unknown, never 0.
 */
public final class ClientRttSampler {
    private static final Logger LOG = Logger.getLogger(ClientRttSampler.class.getName());
    static final long TIMEOUT_MS = 2_000;
    /** Output read at most: about 16,000 connections' worth; the rest is ignored, not buffered. */
    static final int MAX_OUTPUT = 8 << 20;

    private final List<String> command;
    private boolean warned;

    public ClientRttSampler(String program, List<Integer> ports) {
        List<String> cmd = new ArrayList<>(List.of(program, "-tinH", "state", "established", "("));
        for (int i = 0; i < ports.size(); i++) {
            if (i > 0) {
                cmd.add("or");
            }
            cmd.add("sport");
            cmd.add("=");
            cmd.add(":" + ports.get(i));
        }
        cmd.add(")");
        this.command = List.copyOf(cmd);
    }

    List<String> command() {
        return command;
    }

    /** The established connections on the watched ports with a kernel RTT; empty when none or unknown. */
    public List<SocketRtt> sample() {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            warnOnce("cannot run " + command.get(0) + " (iproute2): client round-trip times are unknown: " + e);
            return List.of();
        }
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0 && out.size() < MAX_OUTPUT) {
                out.write(buf, 0, n);
            }
            if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                warnOnce(command.get(0) + " took longer than " + TIMEOUT_MS + " ms: sample skipped");
                return List.of();
            }
            if (p.exitValue() != 0) {
                warnOnce(String.join(" ", command) + " exited with " + p.exitValue()
                        + ": client round-trip times are unknown");
                return List.of();
            }
            return SocketRtt.parse(out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            p.destroy();
        }
    }

    private void warnOnce(String message) {
        if (!warned) {
            warned = true;
            LOG.log(Level.WARNING, message);
        }
    }
}
