package dev.spillway.manager.web;

import dev.spillway.agent.contract.HostLoad;
import dev.spillway.manager.DecisionLog;
import dev.spillway.manager.History;
import dev.spillway.manager.HostView;
import dev.spillway.manager.policy.Candidate;
import dev.spillway.manager.policy.Capacity;
import dev.spillway.manager.policy.Metric;
import java.util.List;

/** The API's documents. Field names of {@code /api/hosts} are a contract (shared/DESIGN.md). */
final class Json {
    private Json() {
    }

    static String hosts(List<HostView> views) {
        JsonWriter w = new JsonWriter().beginArray();
        for (HostView v : views) {
            HostLoad l = v.load();
            w.beginObject()
                    .field("id", v.id())
                    .field("state", v.state().wireName())
                    .field("queueLength", l == null ? Double.NaN : l.getQueueLength())
                    .field("queueDelayMs", l == null ? Double.NaN : l.getQueueDelayMillis())
                    .field("cpu", l == null ? Double.NaN : Metric.cpu(l))
                    .field("memory", l == null ? Double.NaN : Metric.memory(l))
                    .field("stress", v.stress());
            w.name("offload").beginObject()
                    .field("mode", v.directive().mode().name())
                    .field("fraction", v.directive().fraction());
            w.name("targets").beginArray();
            v.directive().targets().forEach(w::value);
            w.endArray();
            w.name("budgets").beginArray();
            v.directive().budgets().forEach(b -> w.value((double) b));
            w.endArray()
                    .field("movedPerSecond", l == null ? Double.NaN : l.getMovedRate())
                    .endObject();
            Capacity c = v.capacity();
            w.name("capacity").beginObject()
                    .field("perSecond", c.capacity())
                    .field("ownPerSecond", c.ownRate())
                    .field("sparePerSecond", c.spare())
                    .field("serviceTimeMs", c.serviceTimeMillis())
                    .field("maxWorkers", c.maxWorkers())
                    .field("busyWorkers", l == null ? -1 : l.getBusyWorkers())
                    .field("waiting", l == null ? Double.NaN : l.getWaitingRequests())
                    .endObject();
            // extras
            w.field("zone", v.entry().zone().isEmpty() && l != null ? l.getZone() : v.entry().zone())
                    .field("webBaseUrl", v.entry().webBaseUrl().isEmpty() && l != null ? l.getWebBaseUrl() : v.entry().webBaseUrl())
                    .field("jmxUrl", v.entry().jmxUrl())
                    .field("source", v.entry().configured() ? "configured" : "registered")
                    .field("drained", v.drained())
                    .field("reason", v.reason())
                    .field("lastError", v.lastError())
                    .field("lastSeenMillis", v.lastSeenMillis())
                    .field("resourceScope", l == null ? null : l.getResourceScope())
                    .field("healthUp", l != null && l.isHealthUp())
                    .field("appHealthUp", l != null && l.isAppHealthUp())
                    .field("sessions", l == null ? -1 : l.getActiveSessions())
                    .field("sessionCapacity", l == null ? -1 : l.getSessionCapacity())
                    .field("reportedMode", l == null ? null : l.getDirectiveMode())
                    .endObject();
        }
        return w.endArray().toString();
    }

    static String decisions(List<DecisionLog.Entry> entries) {
        JsonWriter w = new JsonWriter().beginArray();
        for (DecisionLog.Entry e : entries) {
            w.beginObject().field("timeMillis", e.timeMillis()).field("host", e.hostId()).field("text", e.text())
                    .endObject();
        }
        return w.endArray().toString();
    }

    static String route(List<Candidate> ordered, java.util.function.ToDoubleFunction<Candidate> score) {
        JsonWriter w = new JsonWriter().beginArray();
        for (Candidate c : ordered) {
            w.beginObject().field("id", c.id()).field("zone", c.zone()).field("stress", c.stress())
                    .field("score", score.applyAsDouble(c)).endObject();
        }
        return w.endArray().toString();
    }

    static String history(List<HostView> views, History history, int samples) {
        JsonWriter w = new JsonWriter().beginObject();
        for (HostView v : views) {
            History.Series s = history.copy(v.id());
            if (s == null) {
                continue;
            }
            w.name(v.id()).beginObject();
            long[] times = s.times();
            int from = Math.max(0, times.length - samples);
            w.name("t").beginArray();
            for (int k = from; k < times.length; k++) {
                w.value(times[k]);
            }
            w.endArray();
            for (int i = 0; i < History.SERIES.length; i++) {
                double[] values = s.values(i);
                w.name(History.SERIES[i]).beginArray();
                for (int k = from; k < values.length; k++) {
                    w.value(Math.round(values[k] * 1000) / 1000.0);
                }
                w.endArray();
            }
            w.endObject();
        }
        return w.endObject().toString();
    }
}
