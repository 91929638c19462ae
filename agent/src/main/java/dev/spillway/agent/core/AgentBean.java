package dev.spillway.agent.core;

import dev.spillway.agent.contract.AgentMXBean;
import dev.spillway.agent.contract.Directive;
import dev.spillway.agent.contract.HostLoad;

/**
 * The {@code dev.spillway:type=Agent} MXBean. Apart from {@link Agent} so that the agent's lifecycle methods are not
 * exposed over JMX. Calls can arrive between the MBean's registration and the end of start: it answers, and refuses
 * only what needs a part that is not there yet.
 */
final class AgentBean implements AgentMXBean {
    private final Agent agent;
    private final AgentSettings settings;

    AgentBean(Agent agent) {
        this.agent = agent;
        this.settings = agent.settings();
    }

    @Override public String getHostId() { return settings.hostId(); }
    @Override public String getZone() { return settings.zone(); }
    @Override public String getWebBaseUrl() { return settings.webBaseUrl(); }
    @Override public String getJmxServiceUrl() { return agent.serviceUrl(); }
    @Override public HostLoad getHostLoad() { return agent.latest(); }
    @Override public long getSampleIntervalMillis() { return settings.sampleInterval().toMillis(); }
    @Override public long getSamples() { return agent.samples(); }
    @Override public int getWatchedFilters() { return agent.latest().getFilters(); }
    @Override public String getSurgeMarks() { return agent.surgeMarks(); }
    @Override public long getSurgeChecks() { return agent.surgeChecks(); }

    @Override
    public long getSurgeAlerts() {
        ManagerRegistration r = agent.registration();
        return r == null ? 0 : r.alertsSent();
    }

    @Override
    public String getManagerStatus() {
        ManagerRegistration r = agent.registration();
        return r == null ? "disabled" : r.status();
    }

    @Override
    public void applyDirective(String mode, String[] targets, double fraction, long leaseMillis) {
        // without an epoch: a manager running alone (epoch 0), refused once an elected leader has been heard
        DirectiveRelay relay = relay();
        agent.fence().admit(Directive.UNFENCED, () -> relay.apply(mode, targets, fraction, leaseMillis));
    }

    @Override
    public void applyPermit(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis) {
        DirectiveRelay relay = relay();
        agent.fence().admit(Directive.UNFENCED, () -> relay.applyPermit(mode, targets, budgetsPerSecond, leaseMillis));
    }

    @Override
    public void clearDirective() {
        DirectiveRelay relay = agent.relay();
        if (relay != null) {
            agent.fence().admit(Directive.UNFENCED, relay::clear);
        }
    }

    @Override
    public boolean applyDirectiveAtEpoch(String mode, String[] targets, double fraction, long leaseMillis,
                                         long epoch) {
        DirectiveRelay relay = relay();
        return agent.fence().admit(epoch, () -> relay.applyAtEpoch(mode, targets, fraction, leaseMillis, epoch));
    }

    @Override
    public boolean applyPermitAtEpoch(String mode, String[] targets, double[] budgetsPerSecond, long leaseMillis,
                                      long epoch) {
        DirectiveRelay relay = relay();
        return agent.fence().admit(epoch,
                () -> relay.applyPermitAtEpoch(mode, targets, budgetsPerSecond, leaseMillis, epoch));
    }

    @Override
    public boolean clearDirectiveAtEpoch(long epoch) {
        DirectiveRelay relay = relay();
        return agent.fence().admit(epoch, () -> relay.clearAtEpoch(epoch));
    }

    @Override public long getDirectiveEpoch() { return agent.fence().highest(); }
    @Override public long getStaleDirectivesIgnored() { return agent.fence().refused(); }

    private DirectiveRelay relay() {
        DirectiveRelay relay = agent.relay();
        if (relay == null) {
            throw new IllegalStateException("agent " + settings.hostId() + " is still starting");
        }
        return relay;
    }
}
