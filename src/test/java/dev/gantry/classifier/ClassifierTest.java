package dev.gantry.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.data.Dataset;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frozen feature network: it learns, it round-trips through its file, and it refuses files it cannot trust. */
class ClassifierTest {

    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    static final Dataset FAKE = Datasets.named("fake");
    static final Dataset.Request REQUEST = new Dataset.Request(null, 1280, 3, QUIET);

    @TempDir
    static Path dir;
    static Path file;
    static ClassifierTrainer.Result result;
    static float[] probabilitiesBefore;

    @BeforeAll
    static void trainOnFakeBlobs() throws Exception {
        Engine.getInstance().setRandomSeed(1);
        NDManager m = NDManager.newBaseManager();
        LeNet net = new LeNet(m, FAKE.shape(), 10);
        ImageSet train = FAKE.load(Split.TRAIN, REQUEST);
        ImageSet valid = FAKE.load(Split.VALID, REQUEST).slice(0, 500);
        result = ClassifierTrainer.train(net, m, train, valid, () -> FAKE.load(Split.TEST, REQUEST).slice(0, 500),
                new ClassifierTrainer.Options(2, 64, 1e-3, 5), QUIET, null);
        ObjectNode meta = new ObjectMapper().createObjectNode().put("dataset", "fake").put("test_accuracy", result.testAccuracy());
        file = dir.resolve("fake-lenet.zip");
        String sha = FeatureNet.save(net, meta, file);
        assertThat(sha).hasSize(64);
        ImageSet test = FAKE.load(Split.TEST, REQUEST).slice(0, 300);
        probabilitiesBefore = FeatureNet.of(net, m).probabilities(test.pixels(), test.n());
        m.close();
    }

    @Test
    void itLearnsTheBlobsPositions() {
        // Ten well separated positions: two short epochs are plenty; chance is 10 %.
        assertThat(result.testAccuracy()).isGreaterThan(0.95);
        assertThat(result.validByEpoch()).hasSize(2);
        assertThat(result.bestEpoch()).isBetween(1, 2);
    }

    @Test
    void theFileRoundTripsExactlyAndRecordsWhatItIs() throws Exception {
        ImageSet test = FAKE.load(Split.TEST, REQUEST).slice(0, 300);
        try (FeatureNet net = FeatureNet.load("fake", file)) {
            assertThat(net.probabilities(test.pixels(), test.n())).containsExactly(probabilitiesBefore);
            assertThat(net.sha256()).isEqualTo(FeatureNet.sha256(Files.readAllBytes(file)));
            assertThat(net.meta().path("dataset").asText()).isEqualTo("fake");
            float[] f = net.features(test.pixels(), test.n());
            assertThat(f).hasSize(300 * LeNet.FEATURES);
            for (float v : f) assertThat(v).isGreaterThanOrEqualTo(0f);   // ReLU features
            float[] p = net.probabilities(test.row(0), 1);
            double sum = 0;
            for (float v : Arrays.copyOf(p, 10)) sum += v;
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void onePassGivesTheSameFeaturesAndProbabilitiesAsTwo() {
        ImageSet test = FAKE.load(Split.TEST, REQUEST).slice(0, 700);   // two chunks, the second partial
        try (FeatureNet net = FeatureNet.load("fake", file)) {
            float[][] both = net.featuresAndProbabilities(test.pixels(), test.n());
            assertThat(both[0]).containsExactly(net.features(test.pixels(), test.n()));
            assertThat(both[1]).containsExactly(net.probabilities(test.pixels(), test.n()));
        }
    }

    @Test
    void savingTheSameWeightsTwiceGivesTheSameBytes() throws Exception {
        try (FeatureNet net = FeatureNet.load("fake", file)) {
            byte[] a = Files.readAllBytes(file);
            // Re-save from the loaded network: the zip carries no time stamps.
            NDManager m = NDManager.newBaseManager();
            LeNet copy = new LeNet(m, FAKE.shape(), 10);
            var params = copy.params();
            try (var zip = new java.util.zip.ZipFile(file.toFile())) {
                for (var p : params) {
                    byte[] b = zip.getInputStream(zip.getEntry("tensors/" + p.name())).readAllBytes();
                    float[] v = new float[(int) p.size()];
                    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                    p.array().set(v);
                }
            }
            ObjectNode meta = new ObjectMapper().createObjectNode().put("dataset", "fake").put("test_accuracy", result.testAccuracy());
            Path again = dir.resolve("again.zip");
            FeatureNet.save(copy, meta, again);
            assertThat(Files.readAllBytes(again)).isEqualTo(a);
            m.close();
        }
    }

    @Test
    void refusesTruncatedForeignAndMissingFiles() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.zip");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> FeatureNet.load("fake", truncated)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("truncated.zip");
        assertThatThrownBy(() -> FeatureNet.load("mnist", file)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("trained on fake").hasMessageContaining("not on mnist");
        assertThatThrownBy(() -> FeatureNet.load("fake", dir.resolve("none.zip"))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("does not exist");
        Path text = dir.resolve("text.zip");
        Files.writeString(text, "not a zip");
        assertThatThrownBy(() -> FeatureNet.load("fake", text)).isInstanceOf(BadInputException.class);
        try (FeatureNet net = FeatureNet.load("fake", file)) {
            assertThatThrownBy(() -> net.features(new float[783], 1)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("1×28×28");
        }
    }
}
