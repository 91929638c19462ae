package dev.spillway.filter.forward;

/** Proxied body integrity with both servers in embedded Tomcat, proxying over the Jdk HTTP client. */
class TomcatProxiedBodyIntegrityJdkClientTest extends ProxiedBodyIntegrityContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.TOMCAT;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JDK;
    }
}
