package example.excluded;

/** The same loop as {@code example.cpu.Spin}, in a package the tests exclude. */
public final class ExcludedSpin {
    private ExcludedSpin() {}

    /** Spins for {@code millis} of wall time; returns the iterations. */
    public static long spinFor(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long iterations = 0;
        while (System.nanoTime() < end) {
            iterations++;
        }
        return iterations;
    }
}
