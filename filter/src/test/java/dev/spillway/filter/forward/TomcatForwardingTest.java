package dev.spillway.filter.forward;

/** The forwarding contract with both servers in embedded Tomcat 11. */
class TomcatForwardingTest extends ForwardingContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.TOMCAT;
    }
}
