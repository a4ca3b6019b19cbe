package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.data.format.Cifar10Binary;
import dev.gantry.data.format.Npy;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models and datasets by name, end to end: DCGAN on fake digits and on CIFAR-10 fixtures, and bad names and shapes. */
class ImagesCliTest {

    static CliTest.Result gantry(String... args) {
        return CliTest.gantry(args);
    }

    @Test
    void dcganTrainsSamplesAndResumes(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("dcgan");
        CliTest.Result r = gantry("train", "--preset", "tiny-dcgan", "--run-dir", run.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(run.resolve("samples/epoch-0002.png")).isRegularFile();
        Path npy = dir.resolve("s.npy");
        assertThat(gantry("sample", run.toString(), "--n", "7", "--out", npy.toString()).code()).isZero();
        Npy.Matrix m = Npy.readFloat32(npy);
        assertThat(m.rows()).isEqualTo(7);
        assertThat(m.cols()).isEqualTo(784);
        r = gantry("resume", run.toString(), "--epochs", "3", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).contains("step-000000012.ckpt");
        }
    }

    /** Writes the six official CIFAR-10 files with {@code records} random records each. */
    static void writeCifar(Path dir, int records, List<String> files) throws Exception {
        Files.createDirectories(dir);
        SplittableRandom rng = new SplittableRandom(9);
        for (String f : files) {
            float[] px = new float[records * 3072];
            int[] labels = new int[records];
            for (int i = 0; i < records; i++) {
                labels[i] = rng.nextInt(10);
                for (int j = 0; j < 3072; j++) {
                    px[i * 3072 + j] = rng.nextInt(256) / 255f;
                }
            }
            Cifar10Binary.write(dir.resolve(f), new Cifar10Binary.Labelled(px, labels, records));
        }
    }

    static List<String> allCifarFiles() {
        List<String> all = new java.util.ArrayList<>(Cifar10Binary.TRAIN_FILES);
        all.addAll(Cifar10Binary.TEST_FILES);
        return all;
    }

    @Test
    void cifarFromTheUsersFilesTrainsDcganAndDrawsColourGrids(@TempDir Path dir) throws Exception {
        Path from = dir.resolve("cifar-10-batches-bin");
        writeCifar(from, 16, allCifarFiles());
        Path cache = dir.resolve("cache");
        CliTest.Result r = gantry("data", "fetch", "cifar10", "--from", from.toString(), "--dir", cache.toString());
        assertThat(r.code()).as(r.err()).isZero();
        for (String f : allCifarFiles()) {
            assertThat(Files.mismatch(cache.resolve(f), from.resolve(f))).as(f).isEqualTo(-1L);
        }
        Path run = dir.resolve("run");
        r = gantry("train", "--preset", "dcgan-cifar10", "--run-dir", run.toString(), "--quiet",
                "--set", "data.dir=" + cache, "--set", "data.train_size=64", "--set", "model.width=4", "--set", "model.noise_dim=8",
                "--set", "train.batch_size=16", "--set", "train.epochs=1", "--set", "train.grid_side=4");
        assertThat(r.code()).as(r.err()).isZero();
        BufferedImage grid = ImageIO.read(run.resolve("samples/epoch-0001.png").toFile());
        boolean colour = false;
        for (int y = 0; y < grid.getHeight() && !colour; y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                int rgb = grid.getRGB(x, y);
                if (((rgb >> 16) & 0xFF) != (rgb & 0xFF)) {
                    colour = true;
                    break;
                }
            }
        }
        assertThat(colour).as("a 3-channel grid is drawn in colour").isTrue();
        Path npy = dir.resolve("c.npy");
        assertThat(gantry("sample", run.toString(), "--n", "3", "--out", npy.toString()).code()).isZero();
        assertThat(Npy.readFloat32(npy).cols()).isEqualTo(3 * 32 * 32);
    }

    @Test
    void cifarFromADirectoryLackingAFileFailsNamingItAndCopiesNothing(@TempDir Path dir) throws Exception {
        Path from = dir.resolve("partial");
        writeCifar(from, 2, Cifar10Binary.TRAIN_FILES);   // no test_batch.bin
        Path cache = dir.resolve("cache");
        CliTest.Result r = gantry("data", "fetch", "cifar10", "--from", from.toString(), "--dir", cache.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("test_batch.bin");
        assertThat(cache).doesNotExist();
        // A truncated file is refused the same way.
        writeCifar(from, 2, Cifar10Binary.TEST_FILES);
        Path batch = from.resolve("data_batch_3.bin");
        Files.write(batch, java.util.Arrays.copyOf(Files.readAllBytes(batch), 3073 + 100));
        r = gantry("data", "fetch", "cifar10", "--from", from.toString(), "--dir", cache.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("data_batch_3.bin").contains("3073");
        assertThat(cache).doesNotExist();
    }

    @Test
    void unknownNamesListTheValidOnesAndCreateNothing(@TempDir Path dir) {
        Path run = dir.resolve("r");
        CliTest.Result r = gantry("train", "--preset", "tiny", "--set", "data.name=svhn", "--run-dir", run.toString(), "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("svhn").contains("mnist, fashion-mnist, stacked-mnist, cifar10, fake, ring8, grid25");
        r = gantry("train", "--preset", "tiny", "--set", "model.arch=biggan", "--run-dir", run.toString(), "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("biggan").contains("paper-mlp, dcgan");
        r = gantry("data", "fetch", "svhn");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("svhn").contains("cifar10");
        assertThat(run).doesNotExist();
    }

    @Test
    void aModelThatDoesNotFitTheDataFailsBeforeTheFirstStep(@TempDir Path dir) {
        Path run = dir.resolve("r");
        CliTest.Result r = gantry("train", "--preset", "tiny-dcgan", "--set", "model.image_size=32", "--run-dir", run.toString(), "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("1×32×32").contains("1×28×28");
        assertThat(run).doesNotExist();
        r = gantry("train", "--preset", "tiny-dcgan", "--set", "loss.name=wasserstein", "--set", "loss.gp_weight=10",
                "--run-dir", run.toString(), "--quiet");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("loss.gp_weight").contains("model.d_batch_norm=false");
        assertThat(run).doesNotExist();
    }

    @Test
    void dataListNamesEveryDataset() {
        var out = new java.io.ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertThat(gantry("data", "list").code()).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(out.toString()).contains("mnist").contains("fashion-mnist").contains("3×28×28").contains("1000 classes")
                .contains("3×32×32").contains("unlabelled");
    }
}
