package dev.spillway.manager.poll;

import dev.spillway.agent.contract.HostLoad;

/** What one poll of one host gave: a load, or the error in words. */
public record PollResult(String id, HostLoad load, String error) {

    public static PollResult ok(String id, HostLoad load) {
        return new PollResult(id, load, null);
    }

    public static PollResult failed(String id, String error) {
        return new PollResult(id, null, error);
    }
}
