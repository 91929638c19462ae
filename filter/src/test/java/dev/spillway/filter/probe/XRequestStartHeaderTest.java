package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.settings.TrustedProxies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XRequestStartHeaderTest {
    private static final long NOW_MICROS = 1_764_662_400_000_000L; // 2025-12-02T08:00Z
    private static final TrustedProxies PROXY = TrustedProxies.parse("trusted", List.of("10.0.0.0/8"));
    private final XRequestStartHeader header = new XRequestStartHeader(PROXY, () -> NOW_MICROS);

    private long delayNanos(String remote, String value) {
        return header.delayNanos(FakeRequests.request(remote, Map.of("X-Request-Start", value)), 0);
    }

    @Test
    void microsecondsAsApacheSends() {
        assertEquals(250_000_000L, delayNanos("10.1.2.3", "t=" + (NOW_MICROS - 250_000)));
    }

    @Test
    void millisecondsAsHerokuSends() {
        assertEquals(40_000_000L, delayNanos("10.1.2.3", Long.toString(NOW_MICROS / 1000 - 40)));
        assertEquals(40_000_000L, delayNanos("10.1.2.3", "t=" + (NOW_MICROS / 1000 - 40)));
    }

    @Test
    void secondsWithFractionAsNginxMsecSends() {
        assertEquals(1_500_000_000L, delayNanos("10.1.2.3", "t=" + (NOW_MICROS / 1_000_000 - 2) + ".500"));
    }

    @Test
    void wholeSecondsAndNanoseconds() {
        assertEquals(3_000_000_000L, delayNanos("10.1.2.3", Long.toString(NOW_MICROS / 1_000_000 - 3)));
        assertEquals(7_000_000L, delayNanos("10.1.2.3", Long.toString((NOW_MICROS - 7_000) * 1000)));
    }

    @Test
    void zeroDelayIsKnownNotUnknown() {
        assertEquals(0, delayNanos("10.1.2.3", "t=" + NOW_MICROS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "t=", "t=abc", "junk", "t=1764662400000000x", "-1764662400000", "1764662400.",
            "1764662400.5x", "t=99999999999999999999999", "1.5", "t = 1764662400000", "0x1A"})
    void junkIsIgnored(String value) {
        assertEquals(QueueDelaySource.UNKNOWN, delayNanos("10.1.2.3", value));
    }

    @Test
    void futureValuesAreIgnored() {
        assertEquals(QueueDelaySource.UNKNOWN, delayNanos("10.1.2.3", "t=" + (NOW_MICROS + 1_000)));
    }

    @Test
    void valuesOlderThanAnHourAreIgnored() {
        assertEquals(QueueDelaySource.UNKNOWN, delayNanos("10.1.2.3", "t=" + (NOW_MICROS - 3_600_000_001L)));
        assertEquals(3_600_000_000_000L, delayNanos("10.1.2.3", "t=" + (NOW_MICROS - 3_600_000_000L)));
    }

    @Test
    void untrustedRemoteIsIgnored() {
        assertEquals(QueueDelaySource.UNKNOWN, delayNanos("192.0.2.1", "t=" + (NOW_MICROS - 250_000)));
    }

    @Test
    void noTrustedProxiesMeansNeverBelieved() {
        XRequestStartHeader none = new XRequestStartHeader(TrustedProxies.NONE, () -> NOW_MICROS);
        assertEquals(QueueDelaySource.UNKNOWN, none.delayNanos(
                FakeRequests.request("10.1.2.3", Map.of("X-Request-Start", "t=" + NOW_MICROS)), 0));
    }

    @Test
    void missingHeaderIsUnknown() {
        assertEquals(QueueDelaySource.UNKNOWN, header.delayNanos(FakeRequests.request("10.1.2.3", Map.of()), 0));
    }
}
