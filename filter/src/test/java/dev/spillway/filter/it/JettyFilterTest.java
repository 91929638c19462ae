package dev.spillway.filter.it;

/** The filter contract in embedded Jetty 12 (ee10). */
class JettyFilterTest extends FilterInContainerContract {
    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
