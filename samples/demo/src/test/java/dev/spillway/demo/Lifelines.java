package dev.spillway.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * When each process of the chaos run was killed and when it was back (its ready line seen), on the
 * {@link System#nanoTime()} clock of the load's results. A kill is written down before the signal is sent and a
 * start after the process said it was ready, so every moment a process may have been gone is inside a down spell.
 */
final class Lifelines {
    private record Event(String who, boolean up, long nanos) {
    }

    private final List<Event> events = new ArrayList<>();

    synchronized void killing(String who) {
        events.add(new Event(who, false, System.nanoTime()));
    }

    synchronized void up(String who) {
        events.add(new Event(who, true, System.nanoTime()));
    }

    /** Whether {@code who} was down (killed and not yet back) at {@code nanos}; everyone is up before any event. */
    synchronized boolean downAt(String who, long nanos) {
        boolean up = true;
        for (Event e : events) {
            if (e.nanos() > nanos) {
                break;
            }
            if (e.who().equals(who)) {
                up = e.up();
            }
        }
        return !up;
    }

    /** Whether {@code who} was killed at a moment in [from, to]. */
    synchronized boolean killedDuring(String who, long from, long to) {
        return events.stream().anyMatch(e -> e.who().equals(who) && !e.up() && e.nanos() >= from && e.nanos() <= to);
    }

    /** The events as "+12.3 s kill b", seconds from {@code t0}, for failure reports. */
    synchronized List<String> timeline(long t0) {
        return events.stream().map(e -> String.format("+%.1f s %s %s", (e.nanos() - t0) / 1e9,
                e.up() ? "up" : "kill", e.who())).toList();
    }

    synchronized long kills(String who) {
        return events.stream().filter(e -> e.who().equals(who) && !e.up()).count();
    }
}
