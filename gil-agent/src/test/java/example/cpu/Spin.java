package example.cpu;

/** CPU-bound code with no checkpoint() call: what a library loop looks like to the lock. */
public final class Spin {
    private Spin() {}

    /** Spins for {@code millis} of wall time; returns the iterations. */
    public static long spinFor(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long iterations = 0;
        while (System.nanoTime() < end) {
            iterations++;
        }
        return iterations;
    }

    /** A deterministic computation with nested loops and a call per iteration, to compare with and without polls. */
    public static long checksum(int rounds) {
        long x = 1;
        for (int i = 0; i < rounds; i++) {
            for (int j = 0; j < 10; j++) {
                x = step(x, j);
            }
        }
        return x;
    }

    private static long step(long x, int j) {
        return x * 6364136223846793005L + 1442695040888963407L + j;
    }
}
