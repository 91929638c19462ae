package dev.spillway.filter.it;

/** {@link HostileEligibilityContract} in embedded Jetty 12 (ee10). */
class JettyHostileEligibilityTest extends HostileEligibilityContract {
    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
