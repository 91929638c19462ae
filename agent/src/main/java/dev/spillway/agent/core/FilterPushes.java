package dev.spillway.agent.core;

import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.sampling.JvmConnection;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationFilterSupport;
import javax.management.NotificationListener;
import javax.management.ObjectName;

/**
 * Listens to the watched filters' over-budget pushes ({@link FilterMXBean#OVER_BUDGET_NOTIFICATION}), so that the
 * first request that finds every spill budget spent reaches the {@link OverBudgetWatch} at once instead of at the
 * next sample. Subscribes to the filters found at the first sample and looks for new ones (a webapp deployed later,
 * a reconnected JVM) every {@link #REFRESH_SAMPLES} samples. A filter without the notification (an older filter JAR)
 * is simply never heard from: the samples still see its count. {@link #refresh} runs on the sampler thread; the
 * listener runs on the pushing request thread (this JVM) or the JMX client's thread (another JVM) and only hands
 * the push on.
 */
final class FilterPushes implements AutoCloseable {
    static final int REFRESH_SAMPLES = 10;
    private static final Logger LOG = Logger.getLogger(FilterPushes.class.getName());

    /** What one JVM's subscriptions were made on: a reconnected JVM has lost them. */
    private static final class Subscriptions {
        MBeanServerConnection on;
        final Set<ObjectName> names = new HashSet<>();
    }

    private final Map<JvmConnection, Subscriptions> jvms = new LinkedHashMap<>();
    private final NotificationFilterSupport onlyOverBudget = new NotificationFilterSupport();
    private final NotificationListener listener;
    private int samplesUntilRefresh;

    /** @param pushed called with the push's time stamp (epoch ms of the request that found no budget) */
    FilterPushes(List<JvmConnection> watched, LongConsumer pushed) {
        for (JvmConnection j : watched) {
            jvms.put(j, new Subscriptions());
        }
        onlyOverBudget.enableType(FilterMXBean.OVER_BUDGET_NOTIFICATION);
        listener = (Notification n, Object handback) -> {
            if (FilterMXBean.OVER_BUDGET_NOTIFICATION.equals(n.getType())) {
                pushed.accept(n.getTimeStamp());
            }
        };
    }

    /** After a regular sample: subscribes to filters not listened to yet, on the first and every tenth call. */
    void refresh() {
        if (samplesUntilRefresh-- > 0) {
            return;
        }
        samplesUntilRefresh = REFRESH_SAMPLES - 1;
        jvms.forEach(this::subscribe);
    }

    private void subscribe(JvmConnection jvm, Subscriptions s) {
        try {
            MBeanServerConnection c = jvm.connection();
            if (c != s.on) {
                s.on = c;
                s.names.clear();
            }
            // an exact domain: the query walks only Spillway's own MBeans, not the container's
            for (ObjectName name : c.queryNames(ObjectNames.allFilters(), null)) {
                if (!s.names.contains(name)) {
                    c.addNotificationListener(name, listener, onlyOverBudget, null);
                    s.names.add(name);
                    LOG.fine(() -> "listening to over-budget pushes of " + name + " in " + jvm.describe());
                }
            }
        } catch (IOException | JMException | RuntimeException e) {
            // the next refresh tries again; meanwhile the samples still see the over-budget count
            LOG.log(Level.FINE, "cannot listen to the filters' pushes in " + jvm.describe(), e);
        }
    }

    /** Stops listening (this JVM's filters may outlive the agent: a redeployed webapp's agent must not stay hooked). */
    @Override
    public void close() {
        jvms.forEach((jvm, s) -> {
            for (ObjectName name : s.names) {
                try {
                    if (s.on != null) {
                        s.on.removeNotificationListener(name, listener, onlyOverBudget, null);
                    }
                } catch (IOException | JMException | RuntimeException e) {
                    // gone with its webapp or its JVM: nothing left to remove
                }
            }
            s.names.clear();
        });
    }
}
