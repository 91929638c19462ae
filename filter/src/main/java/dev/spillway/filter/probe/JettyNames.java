package dev.spillway.filter.probe;

/**
 * The names of the container's own Jetty classes, spelled at run time. The filter JAR carries a Jetty HTTP client
 * relocated from {@code org.eclipse.jetty} to {@code dev.spillway.shaded.jetty}, and the shade plugin rewrites every
 * string constant starting with the old name, ours included; these must keep naming the container's classes, so
 * none of them is a constant. (FilterJarIT fails the build if one of our classes names a relocated class by string.)
 */
final class JettyNames {
    /** {@code org.eclipse.jetty}. */
    static final String PACKAGE = String.join(".", "org", "eclipse", "jetty");

    private JettyNames() {
    }

    /** {@code org.eclipse.jetty} followed by {@code rest} (which starts with a dot). */
    static String of(String rest) {
        return PACKAGE + rest;
    }
}
