package dev.spillway.filter.it;

import java.nio.file.Path;

/** A real servlet container serving one webapp from a directory with a real WEB-INF/web.xml, on a free port. */
interface ServletContainer extends AutoCloseable {

    /**
     * Starts the container with {@code workerThreads} request threads and the webapp at {@code contextPath}, plus
     * separate deployments of the same webapp at {@code moreContexts}.
     */
    void start(Path webappDir, String contextPath, int workerThreads, String... moreContexts) throws Exception;

    int port();

    /** Stops and starts the webapp alone, as a redeploy does. */
    void redeploy() throws Exception;

    /** Why the webapp failed to start, or null if it started. */
    String startupFailure();

    @Override
    void close() throws Exception;
}
