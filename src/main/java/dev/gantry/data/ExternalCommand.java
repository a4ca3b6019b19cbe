package dev.gantry.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the package tools that the fetchers' sources use (npm, apt-get, dpkg-deb): stdin closed,
 * stdout and stderr to temporary files deleted afterwards, at most {@value #TIMEOUT_MINUTES}
 * minutes, every failure an {@link IOException} that shows the command.
 */
final class ExternalCommand {

    static final long TIMEOUT_MINUTES = 10;

    private ExternalCommand() {}

    /**
     * Runs {@code command} in {@code dir} and returns its stderr, stripped.
     *
     * @param tool the tool's name, for the temporary files' names
     * @param cannotRunAdvice what the user can do when the command cannot be started at all
     * @param onFailure appended to the message of a non-zero exit code
     * @throws IOException if the command cannot be started, is interrupted, takes too long or exits
     *     with a non-zero code (the message then holds its stderr)
     */
    static String run(List<String> command, Path dir, String tool, String cannotRunAdvice, String onFailure)
            throws IOException {
        String shown = String.join(" ", command);
        Path stdout = Files.createTempFile("gantry-" + tool + "-", ".out");
        Path stderr = Files.createTempFile("gantry-" + tool + "-", ".err");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
                p.getOutputStream().close();
            } catch (IOException e) {
                throw new IOException("cannot run `" + shown + "` (" + e.getMessage() + "); " + cannotRunAdvice, e);
            }
            boolean done;
            try {
                done = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running `" + shown + "`", e);
            }
            if (!done) {
                p.destroyForcibly();
                throw new IOException("`" + shown + "` did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            String err = new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new IOException("`" + shown + "` failed with exit code " + p.exitValue()
                        + (err.isEmpty() ? "" : ": " + err) + onFailure);
            }
            return err;
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
