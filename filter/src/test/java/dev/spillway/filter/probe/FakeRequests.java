package dev.spillway.filter.probe;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Map;

/** Requests without a container: a dynamic proxy answering getHeader and getRemoteAddr, null for the rest. */
final class FakeRequests {
    private FakeRequests() {
    }

    static HttpServletRequest request(String remoteAddr, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(FakeRequests.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> remoteAddr;
                    case "getHeader" -> headers.entrySet().stream()
                            .filter(e -> e.getKey().equalsIgnoreCase((String) args[0]))
                            .map(Map.Entry::getValue).findFirst().orElse(null);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fake request";
                    default -> null;
                });
    }

    static HttpServletRequest plain() {
        return request("192.0.2.1", Map.of());
    }
}
