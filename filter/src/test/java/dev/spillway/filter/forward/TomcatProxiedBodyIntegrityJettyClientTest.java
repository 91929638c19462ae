package dev.spillway.filter.forward;

/** Proxied body integrity with both servers in embedded Tomcat, proxying over the Jetty HTTP client. */
class TomcatProxiedBodyIntegrityJettyClientTest extends ProxiedBodyIntegrityContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.TOMCAT;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JETTY;
    }
}
