package dev.gantry.lab.live;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for timeouts on a shared machine: it advances with the real one, but by at most a second
 * between two readings, so a process frozen for minutes (the machine's other work, a stopped JVM)
 * does not count as the server being slow. A real stall of the server still times out: the test
 * keeps reading the clock while it waits.
 */
final class PatientClock extends Clock {

    private static final long MAX_STEP_NANOS = 1_000_000_000L;
    private long lastReal = System.nanoTime();
    private long elapsed;
    private final Instant origin = Instant.now();

    @Override
    public synchronized Instant instant() {
        long now = System.nanoTime();
        elapsed += Math.min(MAX_STEP_NANOS, Math.max(0, now - lastReal));
        lastReal = now;
        return origin.plusNanos(elapsed);
    }

    /** Seconds counted so far. */
    double seconds() {
        return java.time.Duration.between(origin, instant()).toMillis() / 1000.0;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
