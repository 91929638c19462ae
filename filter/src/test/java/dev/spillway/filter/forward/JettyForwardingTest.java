package dev.spillway.filter.forward;

/** The forwarding contract with both servers in embedded Jetty 12 (ee10). */
class JettyForwardingTest extends ForwardingContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.JETTY;
    }
}
