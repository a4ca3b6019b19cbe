package dev.gantry.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hook for crash tests: named points in the code where a process can be made to stop dead, so
 * that a test kills it ({@code kill -9}) at exactly that moment rather than at a moment chosen by
 * a timer. Started with {@code -Dgantry.halt=POINT@N}, the process, on reaching {@code POINT} with
 * {@code N} (a step), creates the file named by {@code -Dgantry.halt.signal} and sleeps until it is
 * killed. Without the property nothing happens beyond one comparison.
 *
 * <p>Points: {@code stats@N} (step N's stats line appended, mid-epoch), {@code checkpoint-write@N}
 * (half of the checkpoint of step N written to its temporary file), {@code checkpoint-visible@N}
 * (that checkpoint linked into place, before the monitors of its epoch run).
 */
public final class Halt {

    private static final String AT = System.getProperty("gantry.halt");

    private Halt() {}

    /** Stops this process dead here if it was started with {@code -Dgantry.halt=POINT@N}. */
    public static void at(String point, long n) {
        if (AT == null || !AT.equals(point + "@" + n)) {
            return;
        }
        String signal = System.getProperty("gantry.halt.signal");
        try {
            if (signal != null) {
                Files.writeString(Path.of(signal), point + "@" + n + "\n");
            }
            while (true) {
                Thread.sleep(60_000);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("halt at " + point + "@" + n + " failed", e);
        }
    }
}
