package dev.spillway.filter.forward;

/** The forwarding contract (JDK HTTP client) with both servers in embedded Tomcat 11. */
class TomcatForwardingTest extends ForwardingContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.TOMCAT;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JDK;
    }
}
