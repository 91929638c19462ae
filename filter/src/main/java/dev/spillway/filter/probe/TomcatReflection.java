package dev.spillway.filter.probe;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;

/** The one non-public Tomcat member we read: {@code RequestFacade.request} (protected, no public getter). */
final class TomcatReflection {
    private TomcatReflection() {
    }

    /**
     * A getter {@code (RequestFacade)catalina.connector.Request}. Works on the class path (unnamed module), which is
     * how Tomcat loads itself; a setAccessible failure surfaces as an exception and the callers turn the source off.
     */
    static MethodHandle facadeRequestGetter(Class<?> facade) throws ReflectiveOperationException {
        Field field = facade.getDeclaredField("request");
        field.setAccessible(true);
        return MethodHandles.lookup().unreflectGetter(field);
    }
}
