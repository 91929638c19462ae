package dev.spillway.filter.forward;

/** The forwarding contract with both servers in embedded Tomcat 11, proxying over the (shaded) Jetty HTTP client. */
class TomcatForwardingJettyClientTest extends TomcatForwardingTest {
    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JETTY;
    }
}
