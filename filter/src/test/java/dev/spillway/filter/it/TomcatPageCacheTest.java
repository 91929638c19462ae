package dev.spillway.filter.it;

/** The built-in page cache in embedded Tomcat. */
class TomcatPageCacheTest extends PageCacheContract {
    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
