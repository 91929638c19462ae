package dev.spillway.filter.it;

/** The filter contract in embedded Tomcat 11. */
class TomcatFilterTest extends FilterInContainerContract {
    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
