/**
 * The contract shared by filter, agent and manager: MXBean interfaces, ObjectNames and the value types that
 * cross JMX. Everything here is JDK-only, because the filter JAR bundles these classes into users' webapps.
 * Change a name here only with a reason written in the README: the docs and the acceptance checks rely on them.
 */
package dev.spillway.agent.contract;
