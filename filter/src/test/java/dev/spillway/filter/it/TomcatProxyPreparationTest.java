package dev.spillway.filter.it;

/** The relay made ready under a PROXY permit, in embedded Tomcat 11. */
class TomcatProxyPreparationTest extends ProxyPreparationContract {
    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
