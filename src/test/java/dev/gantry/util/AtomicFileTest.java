package dev.gantry.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: a write that fails part way leaves the old file and no temporary; writeNew never replaces. */
class AtomicFileTest {

    @TempDir
    Path tmp;

    private void assertOnly(Path... files) throws IOException {
        try (var s = Files.list(tmp)) {
            assertThat(s.toList()).containsExactlyInAnyOrder(files);
        }
    }

    @Test
    void aWriteThatFailsPartWayLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = tmp.resolve("config.json");
        AtomicFile.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFile.write(f, out -> {
            out.write("new, half of it".getBytes());
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(f).hasContent("old");
        assertOnly(f);
        AtomicFile.writeString(f, "new");
        assertThat(f).hasContent("new");
        assertOnly(f);
    }

    @Test
    void writeNewNeverReplacesAnExistingFile() throws IOException {
        Path f = tmp.resolve("step-000000010.ckpt");
        AtomicFile.writeNew(f, out -> out.write(1));
        assertThat(Files.readAllBytes(f)).containsExactly(1);
        assertThatThrownBy(() -> AtomicFile.writeNew(f, out -> out.write(2))).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(f)).containsExactly(1);
        assertOnly(f);
        assertThatThrownBy(() -> AtomicFile.writeNew(tmp.resolve("b"), out -> {
            throw new IOException("killed");
        })).hasMessage("killed");
        assertOnly(f);
    }

    @Test
    void temporaryFilesAreRecognisedByName() throws IOException {
        Path t = AtomicFile.createTemp(tmp.resolve("step-000000010.ckpt"));
        assertThat(AtomicFile.isTemporary(t)).as(t.toString()).isTrue();
        assertThat(AtomicFile.isTemporary(Path.of(".report.html.0.tmp"))).isTrue();
        for (String name : new String[] {"step-000000010.ckpt", "x.tmp", ".x.tmp", ".x.zz.tmp", ".lock", "notes.txt.tmp"}) {
            assertThat(AtomicFile.isTemporary(Path.of(name))).as(name).isFalse();
        }
    }
}
