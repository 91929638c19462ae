package dev.spillway.filter.it;

/** {@link MovedInCountContract} in embedded Jetty 12 (ee10). */
class JettyMovedInCountTest extends MovedInCountContract {
    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
