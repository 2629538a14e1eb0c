package demo;

/**
 * The seed's {@code do_work}, written the way library code is: a CPU-bound loop that never calls
 * {@code checkpoint()}. It lives outside {@code dev.gil} because the gil4j agent never instruments gil4j itself.
 */
public final class DoWork {
    private DoWork() {}

    /**
     * Spins for {@code millis} of wall time.
     *
     * @param millis how long
     * @return the iterations done
     */
    public static long spinFor(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long iterations = 0;
        while (System.nanoTime() < end) {
            iterations++;
        }
        return iterations;
    }
}
