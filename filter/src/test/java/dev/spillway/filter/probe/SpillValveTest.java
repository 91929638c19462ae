package dev.spillway.filter.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.settings.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The valve's decision from the pool's counters: waiting requests, and the workers left free after this request. */
class SpillValveTest {
    private final FakeClock clock = new FakeClock();
    private int waiting;
    private int free;
    private int max = 20;

    private final QueueLengthSource pool = new QueueLengthSource() {
        @Override
        public int queueLength() {
            return max - free + waiting;
        }

        @Override
        public int waiting() {
            return waiting;
        }

        @Override
        public int freeWorkers() {
            return free;
        }

        @Override
        public int maxWorkers() {
            return max;
        }

        @Override
        public String name() {
            return "scripted-pool";
        }
    };

    private SpillValve valve(int spillWaiting, String reserve) {
        LoadProbe probe = new LoadProbe(pool, List.of(), clock, 1000);
        return new SpillValve(probe, spillWaiting, SpillReserve.parse("spillReserve", reserve));
    }

    private boolean opens(SpillValve v, int waitingNow, int freeNow) {
        waiting = waitingNow;
        free = freeNow;
        return v.open(clock.getAsLong());
    }

    @Test
    void aPoolWithAFreeWorkerAfterThisRequestNeverSpills() {
        for (String reserve : List.of("0", "1", "5%")) {
            SpillValve v = valve(2, reserve);
            assertFalse(opens(v, 0, 1), "reserve " + reserve + ": one worker left for the next arrival");
            assertFalse(opens(v, 0, 19), "reserve " + reserve);
        }
    }

    @Test
    void theRequestThatTookTheLastFreeWorkerSpillsWithAReserve() {
        assertTrue(opens(valve(2, "1"), 0, 0), "reserve 1: nothing left free for the next arrival");
        assertTrue(opens(valve(2, "5%"), 0, 0), "5% of 20 workers is 1");
        SpillValve two = valve(2, "2");
        assertTrue(opens(two, 0, 1), "reserve 2: one of the last two free workers taken");
        assertFalse(opens(two, 0, 2));
    }

    @Test
    void reserveZeroSpillsOnlyOnWaitingRequestsAsBefore() {
        SpillValve v = valve(2, "0");
        assertFalse(opens(v, 0, 0), "the last worker taken, nobody waiting: served here");
        assertFalse(opens(v, 1, 0), "one waiting: fewer than spillWaiting");
        assertTrue(opens(v, 2, 0), "two waiting: backed up");
        SpillValve one = valve(1, "0");
        assertTrue(opens(one, 1, 0));
    }

    @Test
    void aPercentReserveFollowsThePoolsSizeRoundedDown() {
        max = 10;
        SpillValve v = valve(2, "5%");
        assertFalse(opens(v, 0, 0), "5% of 10 workers rounds down to none: as before");
        max = 200;
        clock.advanceMillis(1_000); // the pool's size is read again at most once a second
        assertTrue(opens(v, 0, 9), "10 of 200 kept free");
        assertFalse(opens(v, 0, 10));
    }

    @Test
    void anUnknownPoolNeverSpillsOnTheReserve() {
        SpillValve v = valve(2, "1");
        assertFalse(opens(v, QueueLengthSource.UNKNOWN, QueueLengthSource.UNKNOWN));
        max = QueueLengthSource.UNKNOWN;
        SpillValve pct = valve(2, "5%");
        assertFalse(opens(pct, 0, 0), "a percent of an unknown pool is none");
    }

    @Test
    void theSettingTakesACountOrAWholePercentAndNamesTheExpectedFormOtherwise() {
        assertEquals(1, SpillReserve.parse("spillReserve", "1").workers(20));
        assertEquals(1, SpillReserve.parse("spillReserve", " 5% ").workers(39));
        assertEquals(0, SpillReserve.parse("spillReserve", "0%").workers(200));
        for (String bad : List.of("", "-1", "1.5", "5 %%", "51%", "100001", "x", "%")) {
            ConfigException e = assertThrows(ConfigException.class, () -> SpillReserve.parse("spillReserve", bad));
            assertTrue(e.getMessage().contains("spillReserve") && e.getMessage().contains("percent"), e.getMessage());
        }
    }
}
