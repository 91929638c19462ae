package dev.spillway.filter.it;

/** The admission gate in embedded Jetty 12 (ee10). */
class JettyAdmissionGateTest extends AdmissionGateContract {
    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
