package dev.spillway.filter.forward;

/** Proxied body integrity with both servers in embedded Jetty, proxying over the Jdk HTTP client. */
class JettyProxiedBodyIntegrityJdkClientTest extends ProxiedBodyIntegrityContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.JETTY;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JDK;
    }
}
