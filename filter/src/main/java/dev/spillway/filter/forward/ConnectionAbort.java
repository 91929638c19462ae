package dev.spillway.filter.forward;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Ends a committed response by closing the connection, so a client never takes a truncated body for a whole one
 * (completing normally would send the final empty chunk). The Servlet API has no call for this, so: Jetty treats
 * {@code sendError(-1)} as "abort"; Tomcat refuses sendError once committed, but an async cycle that times out on
 * a committed response makes it close the connection (ErrorReportValve), so we let the async context time out.
 */
final class ConnectionAbort {
    private ConnectionAbort() {
    }

    static void abort(AsyncContext asyncContext, HttpServletResponse clientResponse) {
        boolean aborted;
        try {
            clientResponse.sendError(-1);
            aborted = true;
        } catch (IllegalStateException | IOException notJetty) {
            aborted = false;
        }
        if (aborted) {
            try {
                asyncContext.complete();
            } catch (IllegalStateException alreadyEndedByTheAbort) {
                // Jetty ends the cycle itself
            }
            return;
        }
        try {
            asyncContext.setTimeout(1);
        } catch (IllegalStateException e) {
            try {
                asyncContext.complete();
            } catch (IllegalStateException alreadyEnded) {
                // the container ended the cycle itself (its connection failed)
            }
        }
    }
}
