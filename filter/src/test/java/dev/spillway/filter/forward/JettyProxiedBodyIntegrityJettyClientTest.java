package dev.spillway.filter.forward;

/** Proxied body integrity with both servers in embedded Jetty, proxying over the Jetty HTTP client. */
class JettyProxiedBodyIntegrityJettyClientTest extends ProxiedBodyIntegrityContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.JETTY;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JETTY;
    }
}
