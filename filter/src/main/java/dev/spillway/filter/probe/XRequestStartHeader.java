package dev.spillway.filter.probe;

import dev.spillway.settings.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The {@code X-Request-Start} header a front proxy stamps with its wall-clock arrival time: {@code t=<number>} or a
 * bare number, the unit told by magnitude: seconds, possibly with a fraction (nginx {@code "t=${msec}"});
 * milliseconds (Heroku); microseconds (Apache {@code %t}); nanoseconds.
 * Believed only from a remote address the {@link TrustedProxies} trust. Future values (a skewed clock) and values
 * older than an hour are ignored rather than clamped: a wrong delay is worse than none.
 */
final class XRequestStartHeader implements QueueDelaySource {
    static final String NAME = "x-request-start";
    static final String HEADER = "X-Request-Start";
    private static final long MAX_PLAUSIBLE_MICROS = TimeUnit.HOURS.toMicros(1);
    // Epoch "now" is about 1.8e9 s = 1.8e12 ms = 1.8e15 us = 1.8e18 ns; the bounds sit between those decades and
    // stay valid until year ~5000.
    private static final long MAX_SECONDS = 100_000_000_000L;
    private static final long MAX_MILLIS = 100_000_000_000_000L;
    private static final long MAX_MICROS = 100_000_000_000_000_000L;

    private final TrustedProxies trusted;
    private final LongSupplier epochMicrosClock;

    XRequestStartHeader(TrustedProxies trusted, LongSupplier epochMicrosClock) {
        this.trusted = trusted;
        this.epochMicrosClock = epochMicrosClock;
    }

    static XRequestStartHeader systemClock(TrustedProxies trusted) {
        return new XRequestStartHeader(trusted, () -> System.currentTimeMillis() * 1000L);
    }

    @Override
    public long delayNanos(HttpServletRequest request, long nowNanos) {
        if (trusted.isEmpty()) {
            return UNKNOWN;
        }
        String value = request.getHeader(HEADER);
        // The header check comes first: the trust check parses the address, which costs more than a header lookup.
        if (value == null || !trusted.trusts(request.getRemoteAddr())) {
            return UNKNOWN;
        }
        long startMicros = parseEpochMicros(value);
        if (startMicros < 0) {
            return UNKNOWN;
        }
        long delayMicros = epochMicrosClock.getAsLong() - startMicros;
        return delayMicros >= 0 && delayMicros <= MAX_PLAUSIBLE_MICROS ? delayMicros * 1000L : UNKNOWN;
    }

    /** @return the epoch time in microseconds, or -1 for anything malformed; allocation-free */
    static long parseEpochMicros(String value) {
        int i = 0;
        int end = value.length();
        while (i < end && value.charAt(i) == ' ') {
            i++;
        }
        while (end > i && value.charAt(end - 1) == ' ') {
            end--;
        }
        if (end - i > 2 && value.charAt(i) == 't' && value.charAt(i + 1) == '=') {
            i += 2;
        }
        long whole = 0;
        int digits = 0;
        while (i < end && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
            int digit = value.charAt(i++) - '0';
            if (whole > (Long.MAX_VALUE - digit) / 10) {
                return -1; // would overflow
            }
            whole = whole * 10 + digit;
            digits++;
        }
        if (digits == 0) {
            return -1;
        }
        if (i < end && value.charAt(i) == '.') {
            return fractionalSeconds(value, i + 1, end, whole);
        }
        if (i != end) {
            return -1;
        }
        if (whole < MAX_SECONDS) {
            return whole * 1_000_000L;
        }
        if (whole < MAX_MILLIS) {
            return whole * 1_000L;
        }
        if (whole < MAX_MICROS) {
            return whole;
        }
        return whole / 1_000L;
    }

    // "1700000000.123" (nginx $msec): seconds with up to microsecond fraction; other units never carry a fraction.
    private static long fractionalSeconds(String value, int i, int end, long seconds) {
        if (seconds >= MAX_SECONDS || i >= end) {
            return -1;
        }
        long micros = 0;
        int scale = 100_000;
        for (; i < end; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            micros += (c - '0') * (long) scale;
            scale /= 10;
        }
        return seconds * 1_000_000L + micros;
    }

    @Override
    public String name() {
        return NAME;
    }
}
