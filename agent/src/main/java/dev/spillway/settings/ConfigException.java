package dev.spillway.settings;

/** A configuration value that cannot be used. The message names the key, the value and the expected form. */
public final class ConfigException extends IllegalArgumentException {
    private final String key;

    public ConfigException(String key, String value, String expected) {
        super(key + (value == null ? " is missing" : " = '" + value + "' is not valid") + "; expected " + expected);
        this.key = key;
    }

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
