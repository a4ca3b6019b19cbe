package dev.gantry.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall time of a training step's phases, summed over the steps it watched, for {@code gantry bench
 * step}'s breakdown. The engine's CPU operations are synchronous, so the clock between two phases
 * measures the work of the first. Not thread-safe: one trainer, one thread.
 */
public final class PhaseTimes {

    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long mark;
    private long steps;

    /** Starts the clock of a step. */
    void start() {
        steps++;
        mark = System.nanoTime();
    }

    /** Charges the time since the last mark to {@code phase} and restarts the clock. */
    void lap(String phase) {
        long now = System.nanoTime();
        nanos.merge(phase, now - mark, Long::sum);
        mark = now;
    }

    /** Milliseconds per step of each phase, in the order the phases first ran. */
    public Map<String, Double> perStepMillis() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, steps == 0 ? 0 : v / 1e6 / steps));
        return out;
    }

    public void reset() {
        nanos.clear();
        steps = 0;
    }
}
