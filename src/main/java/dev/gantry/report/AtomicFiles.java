package dev.gantry.report;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Writes files by renaming a finished temporary file over the target, so a reader sees either the
 * old file or the new one, never a partial one.
 *
 * <p>The temporary file lives in the target's directory because a rename is only atomic within
 * one file system.
 */
final class AtomicFiles {

    static {
        // ImageIO's default disk cache registers a shutdown hook on first use, which fails with
        // "Shutdown in progress" when a Ctrl-C'd run writes its report on the way out; the PNGs
        // are small enough to encode in memory.
        ImageIO.setUseCache(false);
    }

    private AtomicFiles() {}

    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    static void writePng(Path target, RenderedImage image) {
        write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for image type of " + target);
            }
        });
    }

    static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    static void write(Path target, Writer writer) {
        try {
            dev.gantry.util.AtomicFile.write(target.toAbsolutePath().normalize(), writer::write);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
