package dev.spillway.manager.policy;

/**
 * Why a directive or permit goes out in a cycle ({@link DirectiveTracker#reason}): the manager counts its sends by
 * these, so that an operator of a large farm sees whether the remote calls of a cycle are the leases' renewals (about
 * half the permits each cycle at the defaults) or changes, and which.
 */
public enum SendReason {
    /** The first send to this host (or the first since a directive another manager left was seen). */
    FIRST,
    /** Unchanged (or within 10%), sent again because half its lease has passed. */
    RENEWAL,
    /** Another mode or fraction (LOCAL aside). */
    MODE,
    /** Other targets (a permit's same targets in another order are the same permit; a directive's order counts). */
    TARGETS,
    /** Same targets, a budget cut by more than 10%: must go out, a target may not be promised more than its spare. */
    CUT,
    /** Budgets that only grew, sent at once because the host needs more. */
    GREW,
    /** LOCAL: a permit or directive withdrawn ({@code clearDirective}), or one another manager left cleared. */
    LOCAL
}
