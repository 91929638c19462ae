package dev.spillway.filter.forward;

/** The forwarding contract (JDK HTTP client) with both servers in embedded Jetty 12 (ee10). */
class JettyForwardingTest extends ForwardingContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.JETTY;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JDK;
    }
}
