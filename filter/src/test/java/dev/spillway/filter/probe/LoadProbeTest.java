package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoadProbeTest {
    private final FakeClock clock = new FakeClock();
    private long nextDelayMillis = -1;
    private int containerQueue = QueueLengthSource.UNKNOWN;

    private final QueueDelaySource scriptedDelay = new QueueDelaySource() {
        @Override
        public long delayNanos(HttpServletRequest request, long nowNanos) {
            return nextDelayMillis < 0 ? UNKNOWN : TimeUnit.MILLISECONDS.toNanos(nextDelayMillis);
        }

        @Override
        public String name() {
            return "scripted";
        }
    };
    private final QueueLengthSource scriptedLength = new QueueLengthSource() {
        @Override
        public int queueLength() {
            return containerQueue;
        }

        @Override
        public String name() {
            return "scripted-pool";
        }
    };

    private LoadProbe probe(QueueLengthSource length, List<QueueDelaySource> delays) {
        return new LoadProbe(length, delays, clock, 1000);
    }

    private void request(LoadProbe probe, long delayMillis) {
        nextDelayMillis = delayMillis;
        probe.enter(FakeRequests.plain());
        probe.exit();
    }

    @Test
    void noArrivalKnownReadsNoneAndMinusOne() {
        LoadProbe p = probe(null, List.of(scriptedDelay));
        request(p, -1);
        assertEquals("none", p.queueDelaySource());
        assertEquals(-1, p.queueDelayMillis());
        assertEquals(-1, p.queueDelayMaxMillis());
    }

    @Test
    void delayAverageIsAnEwmaWithWeightOneSixteenth() {
        LoadProbe p = probe(null, List.of(scriptedDelay));
        request(p, 100); // the first sample is taken as is
        assertEquals(100, p.queueDelayMillis());
        request(p, 260); // 100 + (260 - 100) / 16 = 110
        assertEquals(110, p.queueDelayMillis());
        for (int i = 0; i < 200; i++) {
            request(p, 20);
        }
        assertEquals(20, p.queueDelayMillis());
        assertEquals("scripted", p.queueDelaySource());
    }

    @Test
    void timeHeldInTheAdmissionGateCountsAsQueueDelay() {
        LoadProbe p = probe(null, List.of(scriptedDelay));
        request(p, 0); // with the gate on a request reaches the filter at once...
        assertEquals(0, p.queueDelayMaxMillis());
        p.recordHeld(TimeUnit.MILLISECONDS.toNanos(320)); // ...and waits there, held, before its page runs
        assertEquals(320, p.queueDelayMaxMillis());
        assertEquals(20, p.queueDelayMillis(), "one more sample in the EWMA: 0 + 320 / 16");

        LoadProbe noStamp = probe(null, List.of()); // no container stamp at all: the held time still shows
        noStamp.recordHeld(TimeUnit.MILLISECONDS.toNanos(50));
        assertEquals(50, noStamp.queueDelayMillis());
    }

    @Test
    void delayMaxCoversTheRecentWindowOnly() {
        LoadProbe p = probe(null, List.of(scriptedDelay));
        request(p, 700);
        request(p, 10);
        assertEquals(700, p.queueDelayMaxMillis());
        clock.advanceMillis(600);
        request(p, 30);
        assertEquals(700, p.queueDelayMaxMillis());
        clock.advanceMillis(600);
        assertEquals(30, p.queueDelayMaxMillis());
        clock.advanceMillis(1000); // idle window: nothing was seen waiting
        assertEquals(0, p.queueDelayMaxMillis());
        assertEquals(0, p.queueDelayMillis());
    }

    @Test
    void laterSourceAnswersWhenTheFirstDoesNotKnow() {
        QueueDelaySource never = new QueueDelaySource() {
            @Override
            public long delayNanos(HttpServletRequest request, long nowNanos) {
                return UNKNOWN;
            }

            @Override
            public String name() {
                return "never";
            }
        };
        LoadProbe p = probe(null, List.of(never, scriptedDelay));
        request(p, 42);
        assertEquals("scripted", p.queueDelaySource());
        assertEquals(42, p.queueDelayMaxMillis());
    }

    @Test
    void inFlightCountsEnteredNotExited() {
        LoadProbe p = probe(null, List.of());
        p.enter(FakeRequests.plain());
        p.enter(FakeRequests.plain());
        assertEquals(2, p.inFlight());
        p.exit();
        assertEquals(1, p.inFlight());
        p.exit();
        assertEquals(0, p.inFlight());
    }

    @Test
    void inFlightIsTheQueueLengthWithoutAContainerSource() {
        LoadProbe p = probe(null, List.of());
        p.enter(FakeRequests.plain());
        p.enter(FakeRequests.plain());
        p.enter(FakeRequests.plain());
        assertEquals("in-flight", p.queueSource());
        assertEquals(3, p.queueLength());
    }

    @Test
    void containerQueueLengthWinsWhenKnownAndFallsBackWhenNot() {
        LoadProbe p = probe(scriptedLength, List.of());
        p.enter(FakeRequests.plain());
        assertEquals("in-flight", p.queueSource());
        assertEquals(1, p.queueLength());
        containerQueue = 17;
        assertEquals("scripted-pool", p.queueSource());
        assertEquals(17, p.queueLength());
    }

    @Test
    void queueLengthIsSampledAtMostEveryTenMilliseconds() {
        LoadProbe p = probe(scriptedLength, List.of());
        containerQueue = 5;
        request(p, -1); // sample: 5
        containerQueue = 50;
        clock.advanceMillis(9);
        request(p, -1); // too soon: not sampled
        assertEquals(5, p.queueLengthMax());
        clock.advanceMillis(1);
        request(p, -1); // due: sampled
        assertEquals(50, p.queueLengthMax());
    }

    @Test
    void queueLengthAverageDecaysWithAOneSecondTimeConstant() {
        LoadProbe p = probe(scriptedLength, List.of());
        containerQueue = 0;
        assertEquals(0.0, p.queueLengthAverage(), 1e-9);
        containerQueue = 100;
        clock.advanceMillis(1000); // weight dt/(dt + 1 s) = 1/2
        assertEquals(50.0, p.queueLengthAverage(), 1e-9);
        for (int i = 0; i < 100; i++) {
            clock.advanceMillis(100);
            p.queueLengthAverage();
        }
        assertEquals(100.0, p.queueLengthAverage(), 0.01);
    }

    @Test
    void queueLengthMaxForgetsAfterTheWindow() {
        LoadProbe p = probe(scriptedLength, List.of());
        containerQueue = 40;
        assertEquals(40, p.queueLengthMax());
        containerQueue = 2;
        clock.advanceMillis(1100);
        assertEquals(2, p.queueLengthMax());
    }

    @Test
    void aSourceThatThrowsDoesNotFailTheRequest() {
        QueueDelaySource broken = new QueueDelaySource() {
            @Override
            public long delayNanos(HttpServletRequest request, long nowNanos) {
                throw new IllegalStateException("boom");
            }

            @Override
            public String name() {
                return "broken";
            }
        };
        LoadProbe p = probe(null, List.of(broken));
        p.enter(FakeRequests.plain());
        assertEquals(1, p.inFlight());
        p.exit();
        assertEquals(0, p.inFlight());
    }

    @Test
    void refusesAWindowTooShortToSample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LoadProbe(null, List.of(), clock, 5));
        assertEquals("windowMillis must be at least 20 ms, was 5", e.getMessage());
    }
}
