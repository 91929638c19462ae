package dev.spillway.filter.forward;

class JettyRelayLimitJdkClientTest extends RelayLimitContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.JETTY;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JDK;
    }
}
