package dev.spillway.agent.embedded.testapp;

import dev.spillway.settings.ConfigValues;
import dev.spillway.agent.contract.FilterMXBean;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.embedded.EmbeddedAgent;
import dev.spillway.agent.testing.FakeFilter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import javax.management.JMException;
import javax.management.StandardMBean;

/**
 * Stands in for the Spillway filter inside a test webapp: registers a filter MXBean for its context and joins the
 * JVM's embedded agent with the {@code spillway.agent.*} context parameters; leaves both on undeploy.
 */
public final class JoiningListener implements ServletContextListener {
    public static final String MEMBERSHIP = "spillway.test.membership";
    private static final String PREFIX = "spillway.agent.";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext ctx = event.getServletContext();
        Map<String, String> settings = new HashMap<>();
        for (String name : Collections.list(ctx.getInitParameterNames())) {
            if (name.startsWith(PREFIX)) {
                settings.put(name.substring(PREFIX.length()), ctx.getInitParameter(name));
            }
        }
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new StandardMBean(
                    new FakeFilter(), FilterMXBean.class, true),
                    ObjectNames.filter(ctx.getContextPath()));
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
        ctx.setAttribute(MEMBERSHIP, EmbeddedAgent.join(ConfigValues.of(settings), ctx.getContextPath()));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ServletContext ctx = event.getServletContext();
        try {
            ((AutoCloseable) ctx.getAttribute(MEMBERSHIP)).close();
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(ObjectNames.filter(ctx.getContextPath()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
