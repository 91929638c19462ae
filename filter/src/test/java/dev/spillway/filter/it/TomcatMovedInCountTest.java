package dev.spillway.filter.it;

/** {@link MovedInCountContract} in embedded Tomcat 11. */
class TomcatMovedInCountTest extends MovedInCountContract {
    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
