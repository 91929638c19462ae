package dev.spillway.manager.pool;

/** One configured hook (a command or an HTTP call), run by {@link HookRunner} with its retries. */
interface Hook {
    /** One run; null when it succeeded, otherwise why it failed, in words for the log. */
    String runOnce(HookCall call);

    /** How the log names it, e.g. the argv or the URL. */
    String describe(HookCall call);
}
