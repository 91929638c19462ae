package dev.spillway.filter.it;

/** {@link PathDisguiseContract} in embedded Jetty 12 (ee10). */
class JettyPathDisguiseTest extends PathDisguiseContract {
    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
