package dev.spillway.filter.it;

/** Cache hits served here, in embedded Tomcat 11. */
class TomcatLocalAnswerTest extends LocalAnswerContract {
    @Override
    ServletContainer newContainer() {
        return new TomcatContainer();
    }
}
