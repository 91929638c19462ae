package dev.spillway.filter.forward;

import dev.spillway.filter.peers.Peer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Moves one request, already judged eligible and chosen, to a peer. The seam between the filter's decision
 * (OffloadFilter) and the two ways of moving: redirect and proxy.
 */
public interface Forwarder {

    /**
     * Moves the request to {@code peer}.
     *
     * @param checkedPath the decoded path the page rules judged ({@code servletPath + pathInfo}); the request is
     *     moved to exactly this path under the peer's base URL
     * @param chain the rest of the chain, for serving locally when the peer cannot be reached before a byte was
     *     sent (a forwarder may do that itself, possibly later and from another thread via an async dispatch)
     * @return {@link ForwardResult#TAKEN} if the forwarder took charge of the request (it answered, or will answer,
     *     or serves it locally itself); else why it declined, having done nothing: the caller serves it here now.
     *     The target was checked available when it was picked; a forwarder does not check it again.
     */
    ForwardResult forward(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Peer peer,
            String checkedPath) throws IOException, ServletException;
}
