package dev.spillway.manager.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/history}: per host id an object with {@code t} (epoch milliseconds) and one array per series,
 * values rounded to three decimals, null where unknown.
 */
final class HistoryDocument {
    private HistoryDocument() {
    }

    static Map<String, Map<String, Object>> of(Map<String, HostHistory> byHost) {
        Map<String, Map<String, Object>> doc = new LinkedHashMap<>();
        byHost.forEach((id, h) -> {
            Map<String, Object> host = new LinkedHashMap<>();
            host.put("t", h.times());
            h.series().forEach((name, values) -> host.put(name, rounded(values)));
            doc.put(id, host);
        });
        return doc;
    }

    private static double[] rounded(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            // NaN stays NaN (null in the JSON): Math.round would make an unknown figure a false zero
            out[i] = Double.isNaN(values[i]) ? Double.NaN : Math.round(values[i] * 1000) / 1000.0;
        }
        return out;
    }
}
