package dev.spillway.filter.it;

/** The admission gate in embedded Tomcat 11. */
class TomcatAdmissionGateTest extends AdmissionGateContract {
    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
