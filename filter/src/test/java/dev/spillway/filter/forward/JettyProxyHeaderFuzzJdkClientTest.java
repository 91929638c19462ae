package dev.spillway.filter.forward;

/** The proxy header fuzzer with the filter in embedded Jetty, proxying over the Jdk HTTP client. */
class JettyProxyHeaderFuzzJdkClientTest extends ProxyHeaderFuzzContract {
    @Override
    TestServers.Container container() {
        return TestServers.Container.JETTY;
    }

    @Override
    ForwardSettings.ProxyClient proxyClient() {
        return ForwardSettings.ProxyClient.JDK;
    }
}
