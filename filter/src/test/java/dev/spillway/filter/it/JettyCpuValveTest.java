package dev.spillway.filter.it;

/** The valve's CPU signal in embedded Jetty 12 (ee10). */
class JettyCpuValveTest extends CpuValveContract {
    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
