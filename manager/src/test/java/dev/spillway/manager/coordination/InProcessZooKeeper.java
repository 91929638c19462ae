package dev.spillway.manager.coordination;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/** A real ZooKeeper server in the test JVM (Curator's testing server), ticking fast so 2 s sessions are allowed. */
final class InProcessZooKeeper {
    private InProcessZooKeeper() {
    }

    /** tickTime 250 ms: ZooKeeper grants sessions of 2 to 20 ticks, so the manager's 2 s default fits. */
    static TestingServer start() throws Exception {
        InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, 250, -1);
        return new TestingServer(spec, true);
    }

    static CoordinationSettings settings(TestingServer zk, String cluster) {
        return new CoordinationSettings(zk.getConnectString(), cluster, 2000, 1000);
    }
}
