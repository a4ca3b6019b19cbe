package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.FakeImages;
import dev.gantry.data.ImageSet;
import dev.gantry.nn.Param;
import dev.gantry.run.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A resumed run is the same run: 2 epochs straight equal 1 epoch + checkpoint + restore + 1 epoch. */
class ResumeTest {

    static List<float[]> snapshot(GanTrainer t) {
        List<float[]> all = new ArrayList<>();
        for (Param p : t.generator().params()) all.add(p.array().toFloatArray());
        for (Param p : t.discriminator().params()) all.add(p.array().toFloatArray());
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd/simultaneous", "adam/alternating"})
    void resumedRunEqualsUninterruptedRun(String variant, @TempDir Path dir) throws Exception {
        String[] v = variant.split("/");
        RunConfig config = ConfigLoader.load("tiny", null,
                List.of("optim.name=" + v[0], "train.schedule=" + v[1], "train.k=2", "optim.lr=" + (v[0].equals("adam") ? "0.001" : "0.1")));
        ImageSet data = FakeImages.generate(config.data().trainSize(), 7);

        List<float[]> straight;
        try (GanTrainer t = new GanTrainer(config, data)) {
            assertThat(t.train(2)).isEqualTo(GanTrainer.Outcome.FINISHED);
            straight = snapshot(t);
        }

        Path ckpt;
        try (GanTrainer t = new GanTrainer(config, data)) {
            t.train(1);
            ckpt = Checkpoint.save(t.state(), dir);
        }
        List<float[]> resumed;
        try (GanTrainer t = new GanTrainer(Checkpoint.config(ckpt), data)) {
            Checkpoint.restore(t, ckpt);
            assertThat(t.epoch()).isEqualTo(1);
            t.train(2);
            resumed = snapshot(t);
        }
        assertThat(resumed).hasSameSizeAs(straight);
        for (int i = 0; i < straight.size(); i++) {
            assertThat(resumed.get(i)).as("parameter %d", i).containsExactly(straight.get(i));
        }
    }

    /** The convolutional networks too, with batch norm in both (running statistics are buffers) and with WGAN-GP. */
    @ParameterizedTest
    @ValueSource(strings = {"", "model.d_batch_norm=false,loss.name=wasserstein,loss.gp_weight=10,train.k=2",
            // Conditional: projection D, labels from the minibatch; and with the penalty taken at D(., y).
            "model.conditional=true", "model.conditional=true,model.d_batch_norm=false,loss.name=wasserstein,loss.gp_weight=10,train.k=2",
            // With an inference network Q: its weights and Adam state are in the checkpoint too.
            "model.inferer=true,model.q_hidden=16",
            // BiGAN: D over (x, z) pairs, the encoder E trained with G.
            "loss.name=bigan,model.inferer=true,model.q_hidden=16"})
    void dcganResumesBitExactly(String sets, @TempDir Path dir) throws Exception {
        RunConfig config = ConfigLoader.load("tiny-dcgan", null, sets.isEmpty() ? List.of() : List.of(sets.split(",")));
        StepStats last = assertTwoEpochsResumeBitExactly(config, dev.gantry.data.Datasets.trainingSet(config, System.err), dir);
        assertThat(last.diverged()).isFalse();
    }

    /** Mirza & Osindero's conditional networks, whose G draws its own dropout masks in training passes. */
    @Test
    void cganMlpResumesBitExactly(@TempDir Path dir) throws Exception {
        RunConfig config = ConfigLoader.load("cgan-mnist", null, List.of("data.name=fake", "data.train_size=40", "train.batch_size=10",
                "model.d_units=16", "monitor.parzen_every=0", "train.stats_every=2"));
        assertTwoEpochsResumeBitExactly(config, dev.gantry.data.Datasets.trainingSet(config, System.err), dir);
    }

    /**
     * Two epochs straight against one epoch, a checkpoint, a restore and the second epoch: every
     * parameter bit for bit the same. Returns the resumed run's last statistics.
     */
    static StepStats assertTwoEpochsResumeBitExactly(RunConfig config, ImageSet data, Path dir) throws Exception {
        List<float[]> straight;
        try (GanTrainer t = new GanTrainer(config, data)) {
            t.train(2);
            straight = snapshot(t);
        }
        Path ckpt;
        try (GanTrainer t = new GanTrainer(config, data)) {
            t.train(1);
            ckpt = Checkpoint.save(t.state(), dir);
        }
        try (GanTrainer t = new GanTrainer(Checkpoint.config(ckpt), data)) {
            Checkpoint.restore(t, ckpt);
            t.train(2);
            List<float[]> resumed = snapshot(t);
            assertThat(resumed).hasSameSizeAs(straight);
            // Arrays.equals: assertj's element diff of a million floats takes minutes when they differ.
            List<Integer> differing = new java.util.ArrayList<>();
            for (int i = 0; i < straight.size(); i++) {
                if (!java.util.Arrays.equals(resumed.get(i), straight.get(i))) differing.add(i);
            }
            assertThat(differing).as("parameters that differ after the resume").isEmpty();
            return t.lastStats();
        }
    }

    @Test
    void interruptedMidEpochAndResumedEqualsUninterrupted(@TempDir Path dir) throws Exception {
        RunConfig config = ConfigLoader.load("tiny", null, List.of());
        ImageSet data = FakeImages.generate(config.data().trainSize(), 7);
        List<float[]> straight;
        try (GanTrainer t = new GanTrainer(config, data)) {
            t.train(2);
            straight = snapshot(t);
        }
        Path ckpt;
        try (GanTrainer t = new GanTrainer(config, data)) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(dev.gantry.train.TrainingView tr, StepStats s) {
                    if (tr.step() == 13) tr.requestStop();   // as Ctrl-C does, in the middle of epoch 2
                }
            });
            assertThat(t.train(2)).isEqualTo(GanTrainer.Outcome.INTERRUPTED);
            assertThat(t.stepInEpoch()).isEqualTo(3);
            ckpt = Checkpoint.save(t.state(), dir);
        }
        try (GanTrainer t = new GanTrainer(config, data)) {
            Checkpoint.restore(t, ckpt);
            t.train(2);
            List<float[]> resumed = snapshot(t);
            for (int i = 0; i < straight.size(); i++) {
                assertThat(resumed.get(i)).as("parameter %d", i).containsExactly(straight.get(i));
            }
        }
    }

    @Test
    void trainingChangesParametersAndKeepsLossesFinite() {
        RunConfig config = ConfigLoader.load("tiny", null, List.of());
        ImageSet data = FakeImages.generate(config.data().trainSize(), 7);
        try (GanTrainer t = new GanTrainer(config, data)) {
            List<float[]> before = snapshot(t);
            t.train(1);
            List<float[]> after = snapshot(t);
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i)).as("parameter %d moved", i).isNotEqualTo(before.get(i));
            }
            StepStats s = t.lastStats();
            assertThat(s.diverged()).isFalse();
            assertThat(s.dReal()).isBetween(0.0, 1.0);
            assertThat(s.gradNormG()).isPositive();
            assertThat(t.step()).isEqualTo(t.stepsPerEpoch());
        }
    }
}
