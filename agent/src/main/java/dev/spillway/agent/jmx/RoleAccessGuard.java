package dev.spillway.agent.jmx;

import dev.spillway.agent.contract.ObjectNames;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.MBeanServerForwarder;
import javax.security.auth.Subject;

/**
 * Sits between the connector and the MBeanServer and decides per call: reading is open to every authenticated user;
 * invoking operations and setting attributes needs {@link JmxRole#CONTROL} and is limited to the
 * {@code dev.spillway} domain (a leaked manager password must not become {@code DiagnosticCommand} or
 * {@code jvmtiAgentLoad} on a container JVM); creating, registering and unregistering MBeans is refused to all.
 * Which attributes each role may read is {@link ReadableAttributes}'s.
 */
final class RoleAccessGuard implements InvocationHandler {
    // Everything else (reads, listeners, and the class-loader lookups the connector itself makes) passes.
    private static final Set<String> DENIED = Set.of("createMBean", "registerMBean", "unregisterMBean",
            "instantiate", "deserialize");
    private static final Set<String> WRITE = Set.of("invoke", "setAttribute", "setAttributes");
    private static final Set<String> READ = Set.of("getAttribute", "getAttributes");
    private static final Set<String> QUERY = Set.of("queryNames", "queryMBeans");

    private final boolean authenticated;
    private volatile MBeanServer target;

    private RoleAccessGuard(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /** @param authenticated false when the connector has no password file: every (local) caller has control */
    static MBeanServerForwarder create(boolean authenticated) {
        return (MBeanServerForwarder) Proxy.newProxyInstance(RoleAccessGuard.class.getClassLoader(),
                new Class<?>[] {MBeanServerForwarder.class}, new RoleAccessGuard(authenticated));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "getMBeanServer":
                return target;
            case "setMBeanServer":
                target = (MBeanServer) args[0];
                return null;
            case "toString":
                return "RoleAccessGuard[" + target + "]";
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                break;
        }
        check(name, args);
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void check(String method, Object[] args) {
        if (DENIED.contains(method)) {
            throw new SecurityException(method + " is not allowed over this JMX connector");
        }
        if (READ.contains(method)) {
            checkRead((ObjectName) args[0], args[1]);
            return;
        }
        if (QUERY.contains(method) && args != null && args.length > 1 && args[1] != null && authenticated) {
            // a query expression reads attributes inside the MBeanServer, past this guard: an oracle for any value
            throw new SecurityException(method + " with a query expression is not allowed over this JMX connector");
        }
        if (!WRITE.contains(method)) {
            return;
        }
        ObjectName name = args != null && args.length > 0 && args[0] instanceof ObjectName n ? n : null;
        if (name == null || !ObjectNames.DOMAIN.equals(name.getDomain())) {
            throw new SecurityException(method + " on " + name + " is not allowed over this JMX connector; only "
                    + ObjectNames.DOMAIN + " MBeans can be changed");
        }
        if (!authenticated) {
            return;
        }
        Subject subject = currentSubject();
        if (subject == null || subject.getPrincipals(RolePrincipal.class).stream()
                .noneMatch(p -> p.role() == JmxRole.CONTROL)) {
            String user = subject == null ? "?" : subject.getPrincipals(JMXPrincipal.class).stream()
                    .map(JMXPrincipal::getName).findFirst().orElse("?");
            throw new SecurityException("user '" + user + "' has the readonly role; " + method + " on " + name
                    + " needs the control role");
        }
    }

    private void checkRead(ObjectName name, Object attributes) {
        String[] names = attributes instanceof String[] list ? list : new String[] {(String) attributes};
        for (String a : names) {
            String refusal = name == null || a == null ? "an attribute of no MBean"
                    : ReadableAttributes.refusal(authenticated, name, a);
            if (refusal != null) {
                throw new SecurityException(refusal);
            }
        }
    }

    // The RMI connector runs each request as the authenticated Subject; how to read it differs by JDK.
    private static Subject currentSubject() {
        return CallerSubject.get();
    }
}
