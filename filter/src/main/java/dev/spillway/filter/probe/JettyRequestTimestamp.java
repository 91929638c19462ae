package dev.spillway.filter.probe;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Jetty 12 (ee10): {@code org.eclipse.jetty.server.Request#getBeginNanoTime()} of the core request behind the servlet
 * request, reached with the public static
 * {@code org.eclipse.jetty.ee10.servlet.ServletContextRequest#getServletContextRequest(ServletRequest)}.
 * Jetty stamps it when it starts parsing the request, on the thread that parses it (see the report / README for
 * what that means for HTTP/1.1).
 */
final class JettyRequestTimestamp extends ContainerTimestampSource {
    static final String NAME = "jetty-request-timestamp";
    private static final String API_REQUEST = JettyNames.of(".ee10.servlet.ServletApiRequest");
    private static final String CONTEXT_REQUEST = JettyNames.of(".ee10.servlet.ServletContextRequest");
    private static final String CORE_REQUEST = JettyNames.of(".server.Request");

    @Override
    MethodHandle resolve(Class<?> requestClass) {
        Class<?> apiRequest;
        try {
            apiRequest = containerClass(requestClass, API_REQUEST);
        } catch (ClassNotFoundException e) {
            return null;
        }
        if (!apiRequest.isAssignableFrom(requestClass)) {
            return null;
        }
        try {
            Class<?> contextRequest = containerClass(requestClass, CONTEXT_REQUEST);
            Class<?> coreRequest = containerClass(requestClass, CORE_REQUEST);
            Class<?> servletRequest = containerClass(requestClass, "jakarta.servlet.ServletRequest");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle toContext = lookup.findStatic(contextRequest, "getServletContextRequest",
                    MethodType.methodType(contextRequest, servletRequest));
            MethodHandle begin = lookup.findVirtual(coreRequest, "getBeginNanoTime", MethodType.methodType(long.class));
            return MethodHandles.filterReturnValue(toContext, begin.asType(MethodType.methodType(long.class, contextRequest)))
                    .asType(TIMESTAMP_TYPE);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    @Override
    public String name() {
        return NAME;
    }
}
