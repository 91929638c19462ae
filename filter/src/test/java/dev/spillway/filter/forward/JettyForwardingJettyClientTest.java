package dev.spillway.filter.forward;

/** The forwarding contract with both servers in embedded Jetty 12 (ee10), proxying over the (shaded) Jetty HTTP client. */
class JettyForwardingJettyClientTest extends JettyForwardingTest {
    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JETTY;
    }
}
