package dev.spillway.filter.forward;

class TomcatRelayLimitJdkClientTest extends RelayLimitContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.TOMCAT;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JDK;
    }
}
