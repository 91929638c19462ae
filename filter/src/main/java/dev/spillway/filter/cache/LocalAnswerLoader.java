package dev.spillway.filter.cache;

import dev.spillway.filter.spi.LocalAnswer;
import dev.spillway.settings.ConfigException;
import java.lang.reflect.InvocationTargetException;

/** Creates the webapp's {@link LocalAnswer} named in the {@code localAnswer} setting, once, at the filter's start. */
public final class LocalAnswerLoader {
    private LocalAnswerLoader() {
    }

    /**
     * @param key the setting's key, for the error message
     * @param className a fully qualified class name, or empty for none
     * @param loader the webapp's class loader
     * @return the instance, or null when {@code className} is empty (no SPI: the decision path does no extra work)
     * @throws ConfigException naming the key, the class and what was expected when it cannot be loaded or created
     */
    public static LocalAnswer load(String key, String className, ClassLoader loader) {
        if (className.isEmpty()) {
            return null;
        }
        String expected = "the name of a public class in the webapp that implements "
                + LocalAnswer.class.getName() + " and has a public no-argument constructor";
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException(key, className, expected + " (class not found: " + e + ")");
        }
        if (!LocalAnswer.class.isAssignableFrom(type)) {
            throw new ConfigException(key, className, expected + " (it does not implement the interface)");
        }
        try {
            return type.asSubclass(LocalAnswer.class).getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new ConfigException(key, className, expected + " (its constructor threw " + e.getCause() + ")");
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigException(key, className, expected + " (cannot create it: " + e + ")");
        }
    }
}
