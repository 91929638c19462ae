package dev.spillway.filter.forward;

import dev.spillway.filter.hop.HopMarker;
import dev.spillway.filter.hop.HopMarkerReader;
import dev.spillway.filter.peers.ThisHost;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
     * @return true if the request was moved here from a peer (it carries a valid hop marker)
     */
    public boolean arrived(HttpServletRequest request, HttpServletResponse response) {
        HopMarker.Mark mark = HopMarkerReader.checked(request, marker, self);
        if (mark == null) {
            return false;
        }
        long now = epochMillis.getAsLong();
        origins.record(mark.origin(), now);
        if (mark.proxied() && !response.isCommitted()) {
            response.setHeader(SpareCapacity.HEADER, spare.value(mark.target(), load.idle(),
                    load.waiting().getAsInt(), now, mark.signature()));
        }
        return true;
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
