package dev.spillway.manager.policy;

import dev.spillway.settings.Setting;
import dev.spillway.settings.SettingList;

/**
 * How sessions count (seed 001 c.29, 35, 44, 50): the share of a host's session capacity at which it stops being a
 * target, and how much its used session room weighs when hosts are ordered. Capacity comes from the container
 * (Tomcat's {@code maxActiveSessions}) or from the agent's {@code sessions.capacity}; unknown capacity limits nothing.
 */
public final class SessionSettings {
    public static final Setting<Double> THRESHOLD = Setting.decimal("sessions.threshold", 1.0, 0.01, 1, "a host"
            + " whose active sessions reach this fraction of its session capacity is no target and in no name"
            + " answer (1.0: only a full host); hosts of unknown capacity are never held back");
    public static final Setting<Double> WEIGHT = Setting.decimal("sessions.weight", 1.0, 0, 100, "route and name"
            + " answer order adds `weight × sessions / session capacity`, so a host with more session room comes"
            + " first among equals (0 = off; unknown capacity adds nothing)");

    /** In the order of the README table and {@code --help}. */
    public static final SettingList SETTINGS = SettingList.of(THRESHOLD, WEIGHT);

    private SessionSettings() {
    }
}
