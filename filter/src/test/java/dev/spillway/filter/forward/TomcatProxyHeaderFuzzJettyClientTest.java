package dev.spillway.filter.forward;

/** The proxy header fuzzer with the filter in embedded Tomcat, proxying over the Jetty HTTP client. */
class TomcatProxyHeaderFuzzJettyClientTest extends ProxyHeaderFuzzContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.TOMCAT;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JETTY;
    }
}
