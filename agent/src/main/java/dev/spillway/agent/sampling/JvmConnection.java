package dev.spillway.agent.sampling;

import java.io.IOException;
import javax.management.MBeanServerConnection;

/** One JVM the agent watches: its own (embedded) or a container JVM reached over JMX (standalone). */
public interface JvmConnection extends AutoCloseable {

    /** A usable connection, (re)connecting if needed. @throws IOException when the JVM cannot be reached now */
    MBeanServerConnection connection() throws IOException;

    /** Tells that a call on the connection failed, so the next {@link #connection()} reconnects. */
    void broken();

    /** Names this JVM in messages, e.g. its JMX URL. */
    String describe();

    @Override
    void close();
}
