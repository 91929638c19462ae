package dev.spillway.manager.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.agent.contract.HostLoad;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A thousand steady hosts whose request rates only show the noise of counting a Poisson stream for a second (as
 * ManagerCycleBench's {@code -Dload=poisson}), one in twenty hot: after the first cycles, the permits go out for
 * their renewals (about half of them a cycle at the default lease), not for the noise.
 */
class SendsAtScaleTest {
    private static final int HOSTS = 1000;

    private final Random random = new Random(42);
    private final double[] ownRate = new double[HOSTS];

    private List<Observation> poll(long now) {
        List<Observation> out = new ArrayList<>(HOSTS);
        for (int i = 0; i < HOSTS; i++) {
            boolean hot = i % 20 == 0;
            double rate = hot ? 260 : Math.max(0, ownRate[i] + random.nextGaussian() * Math.sqrt(ownRate[i]));
            HostLoad load = HostLoad.builder("h" + i).zone("z" + (i % 4)).timestampMillis(now)
                    .queueDelayMillis(hot ? 260 : 40).queueLength(hot ? 60 : random.nextInt(10))
                    .maxWorkers(20).serviceTimeMillis(100 + random.nextDouble() * 10 - 5).requestRate(rate).build();
            out.add(Observation.polled("h" + i, "z" + (i % 4), load, false));
        }
        return out;
    }

    @Test
    void steadyHostsAreSentTheirRenewalsNotTheirNoise() {
        for (int i = 0; i < HOSTS; i++) {
            ownRate[i] = 40 + random.nextDouble() * 80;
        }
        Policy policy = new Policy(PolicyConfig.defaults(1000));
        Map<SendReason, Integer> counted = new EnumMap<>(SendReason.class);
        int measured = 8;
        for (int c = 0; c < 8 + measured; c++) {
            long now = 1000L * (c + 1);
            for (HostDecision d : policy.decide(now, poll(now))) {
                if (d.push()) {
                    policy.sent(d.id(), d.directive(), now);
                    if (c >= 8) {
                        counted.merge(d.send(), 1, Integer::sum);
                    }
                }
            }
        }
        // before session 16: ~970 a cycle for other targets (most of them the same ones in another order), then
        // ~430 for cuts within the noise, ~990 sends in all
        String seen = "sends over " + measured + " cycles: " + counted;
        assertTrue(counted.getOrDefault(SendReason.TARGETS, 0) <= 0.25 * HOSTS * measured, seen);
        assertTrue(counted.getOrDefault(SendReason.CUT, 0) <= 0.15 * HOSTS * measured, seen);
        int all = counted.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(all <= 0.65 * HOSTS * measured, seen);
        assertTrue(counted.getOrDefault(SendReason.RENEWAL, 0) >= 0.25 * HOSTS * measured, "renewed: " + seen);
    }
}
