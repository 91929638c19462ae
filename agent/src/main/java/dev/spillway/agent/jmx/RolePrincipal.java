package dev.spillway.agent.jmx;

import java.io.Serializable;
import java.security.Principal;

/** Carries the user's {@link JmxRole} in the connection's Subject, where {@link RoleAccessGuard} finds it. */
record RolePrincipal(JmxRole role) implements Principal, Serializable {
    @Override
    public String getName() {
        return role.name().toLowerCase(java.util.Locale.ROOT);
    }
}
