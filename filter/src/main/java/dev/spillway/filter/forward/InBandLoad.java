package dev.spillway.filter.forward;

import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.hop.HopMarkerReader;
import dev.spillway.filter.peers.ThisHost;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Load that travels with the requests themselves, both ways. Out: a moved request's hop marker carries this server's
 * load ({@link #origin}). In, on the peer: a request that arrives with a valid marker tells us its origin's load
 * ({@link OriginLoads}), and if it was proxied here, its response carries our spare capacity back in a signed
 * {@value SpareCapacity#HEADER} header (which the proxying origin strips and learns from, {@link PeerStanding}).
 * Unsigned or forged markers teach nothing and get no answer.
 */
public final class InBandLoad {
    private final HopMarker marker;
    private final ThisHost self;
    private final LocalLoad load;
    private final SpareCapacity spare;
    private final OriginLoads origins = new OriginLoads();
    private final LongSupplier epochMillis;
    private volatile Consumer<String> backedUpOrigin = id -> { };

    public InBandLoad(HopMarker marker, ThisHost self, LocalLoad load, LongSupplier epochMillis) {
        this.marker = marker;
        this.self = self;
        this.load = load;
        this.spare = new SpareCapacity(marker);
        this.epochMillis = epochMillis;
    }

    /**
     * At filter entry, for every request: a request with no marker costs a header look-up and a scan of its query;
     * one with a marker costs one HMAC check, and one more HMAC to sign the answer if it was proxied here.
     *
     * @return the request's answer to its origin if it was moved here from a peer (it carries a valid hop marker);
     *     null otherwise
     */
    public MovedHere arrived(HttpServletRequest request, HttpServletResponse response) {
        HopMarker.Mark mark = HopMarkerReader.checked(request, marker, self);
        if (mark == null) {
            return null;
        }
        long now = epochMillis.getAsLong();
        origins.record(mark.origin(), now);
        // The origin moved this request with requests waiting for its workers (or not knowing its pool): it is no
        // place to move ours to right now.
        HopMarker.Origin from = mark.origin();
        if (from.id() != null && from.waiting() != 0) {
            backedUpOrigin.accept(from.id());
        }
        MovedHere here = new MovedHere(mark);
        // Written now as well as when served: a page that commits its response early still carries a figure.
        here.answer(response);
        return here;
    }

    /**
     * A request moved here from a peer. If the peer proxied it, our answer carries our spare capacity back in a
     * signed {@value SpareCapacity#HEADER} header: set on arrival and set again once the page was served here, while
     * the response is not committed yet, so that the proxying peer reads our room as the answer leaves, not as it
     * was when the request came in (a page's service time earlier).
     */
    public final class MovedHere {
        private final HopMarker.Mark mark;

        private MovedHere(HopMarker.Mark mark) {
            this.mark = mark;
        }

        /** Sets (or replaces) the spare-capacity answer if the request was proxied here and nothing is sent yet. */
        public void answer(HttpServletResponse response) {
            if (mark.proxied() && !response.isCommitted()) {
                response.setHeader(SpareCapacity.HEADER, spare.value(mark.target(), load.idleBesidesOne(),
                        load.waiting().getAsInt(), epochMillis.getAsLong(), mark.signature()));
            }
        }
    }

    /** Told the id of each origin whose moved request arrived here while its pool was backed up. */
    void onBackedUpOrigin(Consumer<String> listener) {
        this.backedUpOrigin = listener;
    }

    /** This server's load now, as a marker for a request moved from here carries it. */
    HopMarker.Origin origin(boolean proxied) {
        return new HopMarker.Origin(self.id(), proxied, load.waiting().getAsInt(), load.busyWorkers().getAsInt(),
                load.maxWorkers().getAsInt());
    }

    /** Requests waiting for one of this server's workers now (-1: unknown). */
    IntSupplier localWaiting() {
        return load.waiting();
    }

    SpareCapacity spare() {
        return spare;
    }

    public OriginLoads origins() {
        return origins;
    }
}
