package dev.spillway.agent.testing;

/**
 * A child JVM that keeps {@code args[0]} threads busy until its stdin closes (so it dies with the test that
 * started it). Either started with the JDK's own JMX agent so an agent can watch it by URL, or, with more
 * arguments, running a standalone agent ({@code AgentMain} with those arguments) in the same JVM: an agent that
 * watches its own, busy JVM, as an embedded one does.
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
        if (args.length > 1) {
            dev.spillway.agent.standalone.AgentMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
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
