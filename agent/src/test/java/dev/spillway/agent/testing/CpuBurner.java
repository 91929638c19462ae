package dev.spillway.agent.testing;

/**
 * A child JVM that keeps {@code args[0]} threads busy until its stdin closes (so it dies with the test that
 * started it). Started with the JDK's own JMX agent so an agent can watch it by URL.
 */
public final class CpuBurner {
    private CpuBurner() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(CpuBurner::spin, "burner-" + i);
            t.setDaemon(true);
            t.start();
        }
        System.out.println("burning");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the parent closes the pipe
        }
    }

    @SuppressWarnings("InfiniteLoopStatement")
    private static void spin() {
        long x = 0;
        while (true) {
            x = x * 31 + System.nanoTime();
            if (x == 42) {
                System.out.print(""); // keeps the loop from being optimised away
            }
        }
    }
}
