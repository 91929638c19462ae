package dev.spillway.manager.poll;

import dev.spillway.agent.contract.HostLoad;

/**
 * What one poll of one host gave: a load, or the error in words; {@code answerMillis} is how long the agent took to
 * answer the load read (connecting not included), NaN when unmeasured.
 */
public record PollResult(String id, HostLoad load, String error, double answerMillis) {

    public static PollResult ok(String id, HostLoad load) {
        return new PollResult(id, load, null, Double.NaN);
    }

    public static PollResult ok(String id, HostLoad load, double answerMillis) {
        return new PollResult(id, load, null, answerMillis);
    }

    public static PollResult failed(String id, String error) {
        return new PollResult(id, null, error, Double.NaN);
    }
}
