package dev.spillway.filter.it;

/** Cache hits served here, in embedded Jetty 12 (ee10). */
class JettyLocalAnswerTest extends LocalAnswerContract {
    @Override
    ServletContainer newContainer() {
        return new JettyContainer();
    }
}
