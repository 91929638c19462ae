package dev.spillway.filter.it;

/** The valve's CPU signal in embedded Tomcat 11. */
class TomcatCpuValveTest extends CpuValveContract {
    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
