package dev.gantry.sweep;

import java.io.Serializable;

/**
 * What became of a trial in this invocation of the sweep.
 *
 * @param status {@code ok}, {@code failed}, {@code finished-before} (skipped: its marker was there), or
 *     {@code pending} (not run yet: in the reports written while the sweep runs)
 * @param attempts attempts made in this invocation (0 when skipped)
 * @param totalAttempts attempts over every invocation of the sweep
 * @param seconds wall time of the successful attempt (or of the last failed one)
 * @param error why the last attempt failed (its exit code and the last line of its log); empty when ok
 */
public record TrialResult(String trial, String status, int attempts, int totalAttempts, double seconds, String error)
        implements Serializable {

    public boolean ok() {
        return status.equals("ok") || status.equals("finished-before");
    }
}
