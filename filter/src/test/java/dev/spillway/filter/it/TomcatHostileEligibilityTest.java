package dev.spillway.filter.it;

/** {@link HostileEligibilityContract} in embedded Tomcat 11. */
class TomcatHostileEligibilityTest extends HostileEligibilityContract {
    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
