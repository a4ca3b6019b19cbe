package dev.gantry.lab;

import dev.gantry.BadInputException;
import java.nio.file.Path;

/** Parameter checks whose messages name the command-line option, so `gantry lab` exits 2 with a useful line. */
final class Checks {

    private Checks() {}

    static void intRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new BadInputException(option + " must be between " + min + " and " + max + " (got " + value + ")");
        }
    }

    static void positive(String option, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new BadInputException(option + " must be a positive number (got " + value + ")");
        }
    }

    static void finite(String option, double value) {
        if (!Double.isFinite(value)) {
            throw new BadInputException(option + " must be a finite number (got " + value + ")");
        }
    }

    /** lo &lt; value ≤ hi. */
    static void range(String option, double value, double lo, double hi) {
        if (!(value > lo && value <= hi)) {
            throw new BadInputException(option + " must be in (" + lo + ", " + hi + "] (got " + value + ")");
        }
    }

    static void notNull(String option, Object value) {
        if (value == null) {
            throw new BadInputException(option + " is required");
        }
    }

    /** An output directory: may not exist yet, but may not be a regular file. */
    static void outDir(Path out) {
        notNull("--out", out);
        if (java.nio.file.Files.isRegularFile(out)) {
            throw new BadInputException("--out " + out + " is a file; expected a directory");
        }
    }
}
