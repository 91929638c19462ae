package dev.spillway.filter.it;

/** The built-in page cache in embedded Jetty. */
class JettyPageCacheTest extends PageCacheContract {
    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
