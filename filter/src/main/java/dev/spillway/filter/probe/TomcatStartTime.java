package dev.spillway.filter.probe;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Tomcat 11: {@code org.apache.coyote.Request#getStartTimeNanos()}, reached from the
 * {@code org.apache.catalina.connector.RequestFacade} a filter sees through its protected field {@code request}
 * (a {@code org.apache.catalina.connector.Request}) and {@code Request#getCoyoteRequest()}. Tomcat marks the start
 * when the processor reads the first byte of the request line, on the worker thread; -1 means not marked.
 */
final class TomcatStartTime extends ContainerTimestampSource {
    static final String NAME = "tomcat-start-time";

    @Override
    MethodHandle resolve(Class<?> requestClass) {
        try {
            Class<?> facade = containerClass(requestClass, "org.apache.catalina.connector.RequestFacade");
            if (!facade.isAssignableFrom(requestClass)) {
                return null;
            }
            Class<?> catalinaRequest = containerClass(requestClass, "org.apache.catalina.connector.Request");
            Class<?> coyoteRequest = containerClass(requestClass, "org.apache.coyote.Request");
            MethodHandle toCatalina = TomcatReflection.facadeRequestGetter(facade);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle toCoyote = lookup.findVirtual(catalinaRequest, "getCoyoteRequest",
                    MethodType.methodType(coyoteRequest));
            MethodHandle start = lookup.findVirtual(coyoteRequest, "getStartTimeNanos", MethodType.methodType(long.class));
            return MethodHandles.filterReturnValue(MethodHandles.filterReturnValue(toCatalina, toCoyote), start)
                    .asType(TIMESTAMP_TYPE);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    boolean isUnset(long arrivalNanos) {
        return arrivalNanos == -1;
    }

    @Override
    public String name() {
        return NAME;
    }
}
