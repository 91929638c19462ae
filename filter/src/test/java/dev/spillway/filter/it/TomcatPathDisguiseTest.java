package dev.spillway.filter.it;

/** {@link PathDisguiseContract} in embedded Tomcat 11. */
class TomcatPathDisguiseTest extends PathDisguiseContract {
    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
