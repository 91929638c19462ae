package dev.spillway.filter.forward;

/** The proxy header fuzzer with the filter in embedded Tomcat, proxying over the Jdk HTTP client. */
class TomcatProxyHeaderFuzzJdkClientTest extends ProxyHeaderFuzzContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.TOMCAT;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JDK;
    }
}
