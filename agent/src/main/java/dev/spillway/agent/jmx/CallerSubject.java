package dev.spillway.agent.jmx;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.AccessController;
import javax.security.auth.Subject;

/**
 * The authenticated {@link Subject} of the JMX request running on this thread. JDK 18+ has {@code Subject.current()},
 * which the RMI connector fills on every JDK since (through the access-control context up to 22, a scoped value from
 * 23 on); {@code Subject.getSubject(AccessControlContext)} throws {@code UnsupportedOperationException} from JDK 23 on
 * and is the only way on 17. So: {@code current()} where it exists, found once by reflection (the code is built for 17).
 */
public final class CallerSubject {
    private static final MethodHandle CURRENT = findCurrent();

    private CallerSubject() {
    }

    /** @return the caller's subject, or null when the call is not an authenticated JMX request */
    public static Subject get() {
        if (CURRENT == null) {
            return legacy();
        }
        try {
            return (Subject) CURRENT.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Subject.current() failed", e);
        }
    }

    /** The user name the connector's authenticator gave the caller, or null. */
    public static String userName() {
        Subject s = get();
        return s == null ? null : s.getPrincipals(javax.management.remote.JMXPrincipal.class).stream()
                .map(javax.management.remote.JMXPrincipal::getName).findFirst().orElse(null);
    }

    private static MethodHandle findCurrent() {
        try {
            return MethodHandles.publicLookup().findStatic(Subject.class, "current", MethodType.methodType(Subject.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // JDK 17
        }
    }

    @SuppressWarnings("removal")
    private static Subject legacy() {
        return Subject.getSubject(AccessController.getContext());
    }
}
