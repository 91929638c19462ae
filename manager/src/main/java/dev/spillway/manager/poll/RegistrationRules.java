package dev.spillway.manager.poll;

import java.util.Set;

/**
 * Who may register what with the manager: the hosts agents may name ({@code registration.allow}), how many
 * self-registered hosts the table holds ({@code registration.maxHosts}), and the JMX users who may release any
 * host's registration ({@code registration.operators}).
 */
public record RegistrationRules(RegistrationAllowList allow, int maxHosts, Set<String> operators) {
    public RegistrationRules {
        operators = Set.copyOf(operators);
    }
}
