package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.models.Inferer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inference network Q of the paper's §7: it learns to invert G, and it leaves G and D as they were. */
class InfererTest {

    @Test
    void trainingQLeavesTheTrajectoryOfGAndDUnchanged() throws Exception {
        List<String> base = List.of("data.name=fake", "data.train_size=1200", "monitor.parzen_every=0", "train.epochs=2");
        List<String> withQ = new java.util.ArrayList<>(base);
        withQ.add("model.inferer=true");
        assertThat(TrajectoryFingerprintTest.fingerprint("paper-mnist", withQ))
                .isEqualTo(TrajectoryFingerprintTest.fingerprint("paper-mnist", base));
    }

    @Test
    void theTrainerUpdatesQEveryStepAndSavesItWithTheRun() {
        RunConfig config = ConfigLoader.load("tiny", null, List.of("model.inferer=true", "model.q_hidden=16", "monitor.parzen_every=0"));
        ImageSet data = Datasets.trainingSet(config, new PrintStream(OutputStream.nullOutputStream()));
        try (GanTrainer t = new GanTrainer(config, data)) {
            float[] before = t.inferer().params().get(0).array().toFloatArray();
            t.train(1);
            float[] after = t.inferer().params().get(0).array().toFloatArray();
            assertThat(after).isNotEqualTo(before);
            List<String> names = t.state().tensors().stream().map(NDArray::getName).toList();
            assertThat(names).contains("q.h1.weight", "q.out.bias", "q.h1.weight/m", "q.out.bias/v");
        }
    }

    /** Q can invert a generator whose output depends on z: the squared error falls far below z's variance. */
    @Test
    void qLearnsToRecoverZFromAFixedGenerator() {
        Engine.getInstance().setRandomSeed(21);
        try (NDManager m = NDManager.newBaseManager()) {
            dev.gantry.models.PaperGenerator g = new dev.gantry.models.PaperGenerator(m, 4, 64, 49, 0.5,
                    dev.gantry.models.PixelMeans.constant(0.3, 49).perPixel());
            Inferer q = new Inferer(m, new dev.gantry.data.ImageShape(1, 7, 7), 4, 64, 2);
            dev.gantry.optim.Optimizer opt = dev.gantry.optim.Optimizer.create(m, q.params(), GanTrainer.INFERER_OPTIM);
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 0; step < 400; step++) {
                try (NDManager sm = m.newSubManager()) {
                    NDArray z = g.sampleNoise(sm, 64);
                    NDArray x = g.forward(z, true, false).reshape(64, 1, 7, 7);
                    try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = q.loss(x, z);
                        gc.backward(loss);
                        last = loss.getFloat();
                        if (step == 0) first = last;
                    }
                    opt.step(0);
                }
            }
            assertThat(first).as("an untrained Q errs by about z's variance, 1").isGreaterThan(0.8);
            assertThat(last).as("after 400 Adam steps").isLessThan(0.25);
        }
    }
}
