package dev.spillway.agent.core;

import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.ObjectNames;
import dev.spillway.agent.sampling.JvmConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;

/**
 * Passes the manager's directives to every filter MXBean of every watched JVM. Tries them all even when one fails,
 * then reports each failing filter by name; the lease keeps running in each filter, so a filter missed now goes back
 * to LOCAL by itself.
 */
final class DirectiveRelay {
    private static final String[] APPLY_SIGNATURE = {String.class.getName(), String[].class.getName(),
        double.class.getName(), long.class.getName()};

    private static final String[] PERMIT_SIGNATURE = {String.class.getName(), String[].class.getName(),
        double[].class.getName(), long.class.getName()};

    private static final String[] APPLY_AT_EPOCH_SIGNATURE = {String.class.getName(), String[].class.getName(),
        double.class.getName(), long.class.getName(), long.class.getName()};

    private static final String[] PERMIT_AT_EPOCH_SIGNATURE = {String.class.getName(), String[].class.getName(),
        double[].class.getName(), long.class.getName(), long.class.getName()};

    private static final String[] CLEAR_AT_EPOCH_SIGNATURE = {long.class.getName()};

    private final List<JvmConnection> jvms;
    private final String hostId;

    DirectiveRelay(String hostId, List<JvmConnection> jvms) {
        this.hostId = hostId;
        this.jvms = List.copyOf(jvms);
    }

    void apply(String mode, String[] targets, double fraction, long leaseMillis) {
        Directive.of(mode, targets, fraction, leaseMillis); // a bad directive reaches no filter
        int reached = relay("applyDirective", new Object[] {mode, targets, fraction, leaseMillis}, APPLY_SIGNATURE);
        if (reached == 0) {
            throw new IllegalStateException("agent " + hostId + " watches no Spillway filter ("
                    + ObjectNames.ALL_FILTERS + "); the directive has nowhere to go");
        }
    }

    void applyPermit(String mode, String[] targets, double[] budgets, long leaseMillis) {
        Directive.permitOf(mode, targets, budgets, leaseMillis); // a bad permit reaches no filter
        int reached = relay("applyPermit", new Object[] {mode, targets, budgets, leaseMillis}, PERMIT_SIGNATURE);
        if (reached == 0) {
            throw new IllegalStateException("agent " + hostId + " watches no Spillway filter ("
                    + ObjectNames.ALL_FILTERS + "); the permit has nowhere to go");
        }
    }

    void clear() {
        relay("clearDirective", new Object[0], new String[0]);
    }

    // The epoch goes on to each filter, which fences too: a filter may also hear from another agent (or JConsole).
    void applyAtEpoch(String mode, String[] targets, double fraction, long leaseMillis, long epoch) {
        Directive.of(mode, targets, fraction, leaseMillis).withEpoch(epoch);
        int reached = relay("applyDirectiveAtEpoch", new Object[] {mode, targets, fraction, leaseMillis, epoch},
                APPLY_AT_EPOCH_SIGNATURE);
        if (reached == 0) {
            throw new IllegalStateException("agent " + hostId + " watches no Spillway filter ("
                    + ObjectNames.ALL_FILTERS + "); the directive has nowhere to go");
        }
    }

    void applyPermitAtEpoch(String mode, String[] targets, double[] budgets, long leaseMillis, long epoch) {
        Directive.permitOf(mode, targets, budgets, leaseMillis).withEpoch(epoch);
        int reached = relay("applyPermitAtEpoch", new Object[] {mode, targets, budgets, leaseMillis, epoch},
                PERMIT_AT_EPOCH_SIGNATURE);
        if (reached == 0) {
            throw new IllegalStateException("agent " + hostId + " watches no Spillway filter ("
                    + ObjectNames.ALL_FILTERS + "); the permit has nowhere to go");
        }
    }

    void clearAtEpoch(long epoch) {
        relay("clearDirectiveAtEpoch", new Object[] {epoch}, CLEAR_AT_EPOCH_SIGNATURE);
    }

    private int relay(String operation, Object[] args, String[] signature) {
        List<String> failures = new ArrayList<>();
        int reached = 0;
        for (JvmConnection jvm : jvms) {
            Set<ObjectName> filters;
            MBeanServerConnection c;
            try {
                c = jvm.connection();
                filters = c.queryNames(ObjectNames.allFilters(), null);
            } catch (IOException | RuntimeException e) {
                jvm.broken();
                failures.add(jvm.describe() + ": " + e.getMessage());
                continue;
            }
            for (ObjectName filter : filters) {
                try {
                    c.invoke(filter, operation, args, signature);
                    reached++;
                } catch (RuntimeMBeanException e) {
                    failures.add(filter + " in " + jvm.describe() + ": " + e.getTargetException().getMessage());
                } catch (JMException | IOException | RuntimeException e) {
                    failures.add(filter + " in " + jvm.describe() + ": " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(operation + " failed for " + failures.size() + " filter(s) of agent "
                    + hostId + " (" + reached + " succeeded): " + String.join("; ", failures));
        }
        return reached;
    }
}
