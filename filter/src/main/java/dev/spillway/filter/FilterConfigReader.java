package dev.spillway.filter;

import dev.spillway.settings.ConfigException;
import dev.spillway.settings.ConfigValues;
import dev.spillway.settings.Setting;
import jakarta.servlet.FilterConfig;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gathers the filter's raw settings: the properties file named by the init-param {@value #CONFIG} (a file path, or
 * {@code classpath:name} resolved by the webapp's class loader), overridden key by key by the other init-params.
 * The location may name system properties or environment variables as {@code ${name}}, so one WAR can be deployed
 * on every host and each host's JVM says where its own file is ({@code -Dspillway.config=/etc/spillway/shop.properties}).
 */
final class FilterConfigReader {
    static final String CONFIG = "config";
    static final String CLASSPATH_PREFIX = "classpath:";
    /** Documented with the filter's settings, but never one of them: it says where the others are. */
    static final Setting<Void> CONFIG_SETTING = Setting.documentedOnly(CONFIG, "—", "init-param only: a properties"
            + " file with the keys below, as a path or `classpath:name`; `${name}` in it is replaced by that system"
            + " property or environment variable, so one WAR serves every host"
            + " (`<param-value>${spillway.config}</param-value>` and `-Dspillway.config=/etc/spillway/shop.properties`)");

    private FilterConfigReader() {
    }

    static ConfigValues read(FilterConfig config) {
        Map<String, String> params = new LinkedHashMap<>();
        Enumeration<String> names = config.getInitParameterNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            if (!name.equals(CONFIG)) {
                params.put(name, config.getInitParameter(name));
            }
        }
        ConfigValues fromParams = ConfigValues.of(params);
        String location = config.getInitParameter(CONFIG);
        if (location == null || location.isBlank()) {
            return fromParams;
        }
        return file(expand(location.trim()), config.getServletContext().getClassLoader()).overriddenBy(fromParams);
    }

    /** Replaces each {@code ${name}} by the system property, else the environment variable, of that name. */
    static String expand(String location) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < location.length()) {
            int start = location.indexOf("${", i);
            if (start < 0) {
                out.append(location, i, location.length());
                break;
            }
            int end = location.indexOf('}', start);
            if (end < 0) {
                throw new ConfigException(CONFIG, location, "a location whose ${name} references are closed");
            }
            String name = location.substring(start + 2, end);
            String value = System.getProperty(name, System.getenv(name));
            if (value == null || value.isBlank()) {
                throw new ConfigException(CONFIG, location, "a location whose ${" + name
                        + "} is set as a system property (-D" + name + "=...) or environment variable");
            }
            out.append(location, i, start).append(value);
            i = end + 1;
        }
        return out.toString();
    }

    private static ConfigValues file(String location, ClassLoader loader) {
        if (!location.startsWith(CLASSPATH_PREFIX)) {
            return ConfigValues.load(Path.of(location), CONFIG);
        }
        String resource = location.substring(CLASSPATH_PREFIX.length());
        resource = resource.startsWith("/") ? resource.substring(1) : resource;
        InputStream in = loader == null ? null : loader.getResourceAsStream(resource);
        if (in == null) {
            throw new ConfigException(CONFIG, location, "a properties file on the webapp's class path"
                    + " (e.g. classpath:spillway.properties in WEB-INF/classes) or a file path");
        }
        return ConfigValues.load(in, CONFIG, location);
    }
}
