package dev.spillway.filter.forward.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The logging of the Jetty HTTP client relocated into the filter JAR: its (relocated) slf4j-api finds this provider
 * and logs through {@link System.Logger}, so the client's messages land where the filter's own go (the container's
 * java.util.logging) instead of slf4j's "no providers" warning on stderr and silence. It is registered only under
 * the relocated service name ({@code META-INF/services/dev.spillway.shaded.slf4j.spi.SLF4JServiceProvider}), so an
 * unrelocated slf4j (the application's, or the tests') never sees it.
 */
public final class SystemLoggerProvider implements SLF4JServiceProvider {
    private final ILoggerFactory loggers = new Loggers();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class Loggers implements ILoggerFactory {
        private final ConcurrentMap<String, Logger> byName = new ConcurrentHashMap<>();

        @Override
        public Logger getLogger(String name) {
            return byName.computeIfAbsent(name, SystemLogger::new);
        }
    }

    private static final class SystemLogger extends AbstractLogger {
        private static final long serialVersionUID = 1L;
        private final transient System.Logger target;

        SystemLogger(String name) {
            this.name = name;
            this.target = System.getLogger(name);
        }

        private boolean on(System.Logger.Level level) {
            return target.isLoggable(level);
        }

        @Override public boolean isTraceEnabled() { return on(System.Logger.Level.TRACE); }
        @Override public boolean isTraceEnabled(Marker marker) { return isTraceEnabled(); }
        @Override public boolean isDebugEnabled() { return on(System.Logger.Level.DEBUG); }
        @Override public boolean isDebugEnabled(Marker marker) { return isDebugEnabled(); }
        @Override public boolean isInfoEnabled() { return on(System.Logger.Level.INFO); }
        @Override public boolean isInfoEnabled(Marker marker) { return isInfoEnabled(); }
        @Override public boolean isWarnEnabled() { return on(System.Logger.Level.WARNING); }
        @Override public boolean isWarnEnabled(Marker marker) { return isWarnEnabled(); }
        @Override public boolean isErrorEnabled() { return on(System.Logger.Level.ERROR); }
        @Override public boolean isErrorEnabled(Marker marker) { return isErrorEnabled(); }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                Throwable thrown) {
            System.Logger.Level l = switch (level) {
                case TRACE -> System.Logger.Level.TRACE;
                case DEBUG -> System.Logger.Level.DEBUG;
                case INFO -> System.Logger.Level.INFO;
                case WARN -> System.Logger.Level.WARNING;
                case ERROR -> System.Logger.Level.ERROR;
            };
            String message = MessageFormatter.basicArrayFormat(pattern, args);
            if (thrown == null) {
                target.log(l, message);
            } else {
                target.log(l, message, thrown);
            }
        }
    }
}
