package dev.spillway.filter.it;

/** The relay made ready under a PROXY permit, in embedded Jetty 12 (ee10). */
class JettyProxyPreparationTest extends ProxyPreparationContract {
    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
