package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.nn.Param;
import dev.gantry.optim.Adam;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression guard: the trajectory of a seeded run is a decision, never an accident.
 *
 * <p>Each case trains a few hundred steps from a preset and compares a SHA-256 of every parameter
 * and buffer (G, then D, in checkpoint order, little-endian float32 bits) with the value stored
 * here. The values were recorded with one engine thread (the surefire configuration). A change that
 * is meant to alter a trajectory updates the value in its own commit and says why.
 *
 * <p>History: the first values held from before the images-and-labels refactor until G's sigmoid
 * bias became per pixel (December 2026, the authors' {@code init_sigmoid_bias_from_marginals});
 * {@code model.g_output_bias=scalar} still reproduces the first paper value exactly. The
 * hand-written backward passes ({@code train.backward = hand}, December 2026) changed the order of
 * floating-point sums and so the bits of the paper trajectory (HandBackwardTest bounds the
 * difference); {@code train.backward=autograd} still reproduces both earlier paper values exactly.
 */
class TrajectoryFingerprintTest {

    /** The paper's networks, loss, SGD schedules and simultaneous update, on 1,200 synthetic images. */
    static final String PAPER_MNIST = "aaaeb71200ec6b93 after 120 steps";

    /** The same through the engine's autograd, as before the hand-written backward passes. */
    static final String PAPER_MNIST_AUTOGRAD = "b044d08b27e418e4 after 120 steps";

    /** Autograd with the scalar output bias Gantry used before December 2026. */
    static final String PAPER_MNIST_SCALAR_BIAS = "ef3b1405fea4627b after 120 steps";

    /** Adam, Algorithm 1 with k = 2, WGAN-GP, batch-normalised G, spectrally normalised D. */
    static final String TINY_WGAN_GP = "83f6420f21d42e23 after 100 steps";

    @Test
    void paperMnistNetworksFollowTheRecordedTrajectory() throws Exception {
        // 12 steps per epoch, 10 epochs: 120 steps, past the first momentum increase (epoch 1).
        String hash = fingerprint("paper-mnist", List.of("data.name=fake", "data.train_size=1200",
                "monitor.parzen_every=0", "train.epochs=10"));
        assertThat(hash).as("paper-mnist trajectory fingerprint").isEqualTo(PAPER_MNIST);
    }

    @Test
    void autogradStillFollowsThePreviousTrajectory() throws Exception {
        String hash = fingerprint("paper-mnist", List.of("data.name=fake", "data.train_size=1200",
                "monitor.parzen_every=0", "train.epochs=10", "train.backward=autograd"));
        assertThat(hash).as("paper-mnist trajectory through autograd").isEqualTo(PAPER_MNIST_AUTOGRAD);
    }

    @Test
    void scalarOutputBiasStillFollowsThePreviousTrajectory() throws Exception {
        String hash = fingerprint("paper-mnist", List.of("data.name=fake", "data.train_size=1200",
                "monitor.parzen_every=0", "train.epochs=10", "model.g_output_bias=scalar", "train.backward=autograd"));
        assertThat(hash).as("paper-mnist trajectory with the scalar bias").isEqualTo(PAPER_MNIST_SCALAR_BIAS);
    }

    @Test
    void wganGpVariantFollowsTheRecordedTrajectory() throws Exception {
        String hash = fingerprint("tiny", List.of("optim.name=adam", "optim.lr=0.001", "optim.beta1=0.5",
                "train.schedule=alternating", "train.k=2", "loss.name=wasserstein", "loss.gp_weight=10",
                "model.g_batch_norm=true", "model.d_spectral_norm=true", "train.epochs=20"));
        assertThat(hash).as("tiny WGAN-GP trajectory fingerprint").isEqualTo(TINY_WGAN_GP);
    }

    static String fingerprint(String preset, List<String> sets) throws Exception {
        RunConfig config = ConfigLoader.load(preset, null, sets);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (GanTrainer t = new GanTrainer(config, Datasets.trainingSet(config, quiet))) {
            assertThat(t.train(config.train().epochs())).isEqualTo(GanTrainer.Outcome.FINISHED);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (NDArray a : arrays(t)) {
                float[] v = a.toFloatArray();
                ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(v);
                sha.update(buf.array());
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16) + " after " + t.step() + " steps";
        }
    }

    private static List<NDArray> arrays(GanTrainer t) {
        List<NDArray> all = new java.util.ArrayList<>();
        t.generator().params().stream().map(Param::array).forEach(all::add);
        t.discriminator().params().stream().map(Param::array).forEach(all::add);
        all.addAll(t.generator().buffers());
        all.addAll(t.discriminator().buffers());
        return all;
    }
}
