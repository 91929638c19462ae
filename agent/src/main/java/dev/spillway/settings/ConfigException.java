package dev.spillway.settings;

/** A configuration value that cannot be used. The message names the key, the value and the expected form. */
public final class ConfigException extends IllegalArgumentException {
    private final String key;
    /** The message after the key, kept apart so the same error can be told under a prefixed key. */
    private final String detail;

    public ConfigException(String key, String value, String expected) {
        this(key, (value == null ? " is missing" : " = '" + value + "' is not valid") + "; expected " + expected,
                (Throwable) null);
    }

    public ConfigException(String key, String message) {
        this(key, ": " + message, (Throwable) null);
    }

    private ConfigException(String key, String detail, Throwable cause) {
        super(key + detail, cause);
        this.key = key;
        this.detail = detail;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }

    /**
     * The same error under {@code prefix + key()}, with this one as its cause: the embedded agent names its keys
     * ({@code jmx.port}) as the filter's configuration writes them ({@code agent.jmx.port}).
     */
    public ConfigException prefixed(String prefix) {
        return new ConfigException(prefix + key, detail, this);
    }
}
