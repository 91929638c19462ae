package dev.spillway.manager.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.testkit.Await;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** Election, epochs and stepping down against a real ZooKeeper server (in-process). */
class ZooKeeperLeadershipTest {

    private static boolean leads(Leadership l) {
        return l.sendingEpoch() != Leadership.NOT_LEADING;
    }

    @Test
    void oneOfTwoLeadsAndTheOtherTakesOverWithALargerEpoch() throws Exception {
        try (TestingServer zk = InProcessZooKeeper.start()) {
            CoordinationSettings s = InProcessZooKeeper.settings(zk, "pair");
            ZooKeeperLeadership a = ZooKeeperLeadership.create(s);
            ZooKeeperLeadership b = ZooKeeperLeadership.create(s);
            try {
                a.join("http://a:9090");
                b.join("http://b:9090");
                Await.until("one of them leads", () -> leads(a) || leads(b));
                ZooKeeperLeadership leader = leads(a) ? a : b;
                ZooKeeperLeadership follower = leader == a ? b : a;
                String leaderId = leader == a ? "http://a:9090" : "http://b:9090";
                long first = leader.sendingEpoch();
                assertTrue(first >= 1, "an elected leader's epoch is 1 or more: " + first);
                assertEquals(Leadership.NOT_LEADING, follower.sendingEpoch(), "only one leads");
                Await.until("the follower names the leader", () -> follower.status().leader().equals(leaderId));
                assertEquals("follower", follower.status().mode());
                assertEquals("leader", leader.status().mode());
                assertEquals("pair", follower.status().cluster());

                leader.close();
                assertEquals(Leadership.NOT_LEADING, leader.sendingEpoch(), "closed: it stops sending at once");
                Await.until("the follower leads", () -> leads(follower));
                assertTrue(follower.sendingEpoch() > first, "the new leader's epoch " + follower.sendingEpoch()
                        + " must be above the old one's " + first);
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void withoutZooKeeperNobodyLeadsAndALeaderReturnsWithANewEpoch() throws Exception {
        try (TestingServer zk = InProcessZooKeeper.start()) {
            ZooKeeperLeadership a = ZooKeeperLeadership.create(InProcessZooKeeper.settings(zk, "outage"));
            try {
                a.join("http://a:9090");
                Await.until("a leads", () -> leads(a));
                long before = a.sendingEpoch();
                zk.stop();
                Await.until("a stops sending once ZooKeeper is gone", () -> !leads(a));
                Await.until("a says nobody leads", () -> a.status().mode().equals("no-leader"));
                zk.restart();
                Await.until("a leads again", () -> leads(a));
                assertTrue(a.sendingEpoch() > before, "a new term: " + a.sendingEpoch() + " > " + before);
            } finally {
                a.close();
            }
        }
    }

    @Test
    void clustersElectApart() throws Exception {
        try (TestingServer zk = InProcessZooKeeper.start()) {
            ZooKeeperLeadership one = ZooKeeperLeadership.create(InProcessZooKeeper.settings(zk, "shard-1"));
            ZooKeeperLeadership two = ZooKeeperLeadership.create(InProcessZooKeeper.settings(zk, "shard-2"));
            try {
                one.join("http://one:9090");
                two.join("http://two:9090");
                Await.until("each cluster has its own leader", () -> leads(one) && leads(two));
                assertNotEquals(one.status().cluster(), two.status().cluster());
            } finally {
                one.close();
                two.close();
            }
        }
    }

    @Test
    void aManagerWithoutZooKeeperLeadsAloneUnfenced() {
        assertEquals(0, Leadership.SOLE.sendingEpoch());
        assertEquals("sole", Leadership.SOLE.status().mode());
        assertTrue(Leadership.SOLE.status().mayWrite());
    }
}
