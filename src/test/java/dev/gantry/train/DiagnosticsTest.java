package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.FakeImages;
import dev.gantry.data.ImageSet;
import dev.gantry.nn.Param;
import dev.gantry.run.Checkpoint;
import dev.gantry.run.RunDirectory;
import dev.gantry.run.RunFilesListener;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each pathology, built on purpose, raises its alarm; a healthy run raises none. */
class DiagnosticsTest {

    static RunConfig tiny(String... sets) {
        return ConfigLoader.load("tiny", null, List.of(sets));
    }

    static ImageSet data(RunConfig c) {
        return FakeImages.generate(c.data().trainSize(), 7);
    }

    /** Runs {@code action} on the trainer at the end of epoch 1 (before the diagnostics look). */
    static TrainingListener afterFirstEpoch(java.util.function.Consumer<GanTrainer> action) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(dev.gantry.train.TrainingView t) {
                if (t.epoch() == 1) action.accept((GanTrainer) t);
            }
        };
    }

    static Param param(List<Param> params, String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** A classifier whose verdicts are scripted epoch by epoch: all ten classes, then three. */
    @Test
    void losingClassesRaisesModeCollapseOnceAndWatchingDoesNotChangeTheTrajectory() {
        RunConfig c = tiny("train.epochs=4");
        int[] all = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100};
        int[] three = {400, 300, 200, 5, 0, 0, 9, 0, 0, 0};
        java.util.Deque<int[]> verdicts = new java.util.ArrayDeque<>(List.of(all, three, three, all));
        List<Integer> sizes = new java.util.ArrayList<>();
        List<float[]> watched = new java.util.ArrayList<>();
        try (GanTrainer t = new GanTrainer(c, data(c))) {
            Diagnostics d = new Diagnostics(c.diagnostics(), null, null).withClassMeter((samples, n) -> {
                sizes.add(samples.length / n);
                return verdicts.pop();
            });
            t.addListener(d);
            t.train(4);
            List<Diagnostics.Alarm> alarms = d.alarms().stream().filter(a -> a.name().equals("mode-collapse")).toList();
            assertThat(alarms).hasSize(1);   // raised at epoch 2, not again at 3 while it lasts
            assertThat(alarms.get(0).epoch()).isEqualTo(2);
            assertThat(alarms.get(0).detail()).contains("cover 3 of 10 classes").contains("down from 10");
            assertThat(sizes).containsOnly(784);
            t.state().tensors().forEach(a -> watched.add(a.toFloatArray()));
        }
        try (GanTrainer t = new GanTrainer(c, data(c))) {
            t.train(4);
            var plain = t.state().tensors();
            for (int i = 0; i < plain.size(); i++) {
                assertThat(plain.get(i).toFloatArray()).as("tensor %d without the watcher", i).containsExactly(watched.get(i));
            }
        }
    }

    @Test
    void aHealthyRunStaysQuiet() {
        RunConfig c = tiny("train.epochs=3");
        try (GanTrainer t = new GanTrainer(c, data(c))) {
            Diagnostics d = new Diagnostics(c.diagnostics(), null, null);
            t.addListener(d);
            assertThat(t.train(3)).isEqualTo(GanTrainer.Outcome.FINISHED);
            assertThat(d.alarms()).isEmpty();
        }
    }

    @Test
    void aDiscriminatorThatRejectsEverythingStarvesTheMinimaxGeneratorButNotTheNonSaturatingOne() {
        for (String objective : List.of("minimax", "non-saturating")) {
            RunConfig c = tiny("loss.generator=" + objective, "train.stats_every=1");
            try (GanTrainer t = new GanTrainer(c, data(c))) {
                // D(x) = σ(logit − 30) ≈ 1e−13 for every input: D "wins" on fakes outright.
                t.addListener(afterFirstEpoch(tr -> param(tr.discriminator().params(), "d.out.bias").array().subi(30f)));
                Diagnostics d = new Diagnostics(c.diagnostics(), null, null);
                t.addListener(d);
                t.train(2);
                List<String> names = d.alarms().stream().map(Diagnostics.Alarm::name).toList();
                if (objective.equals("minimax")) {
                    assertThat(names).as(objective).contains("vanishing-gradient");
                } else {
                    assertThat(names).as(objective).doesNotContain("vanishing-gradient");
                }
            }
        }
    }

    @Test
    void aGeneratorThatLosesItsDiversityRaisesModeCollapse() {
        RunConfig c = tiny();
        try (GanTrainer t = new GanTrainer(c, data(c))) {
            NDArray w = param(t.generator().params(), "g.out.weight").array();
            // Start diverse: large output weights make every z a different saturated image.
            w.muli(300f);
            Diagnostics d = new Diagnostics(c.diagnostics(), null, null);
            t.addListener(d);
            t.addListener(afterFirstEpoch(tr -> w.muli(0f)));   // then every z maps to one image
            t.train(1);
            assertThat(d.alarms()).isEmpty();
            t.train(2);
            assertThat(d.alarms()).extracting(Diagnostics.Alarm::name).containsExactly("mode-collapse");
            assertThat(d.alarms().get(0).detail()).contains("down from");
        }
    }

    @Test
    void divergenceStopsTrainingAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        RunConfig c = tiny("train.epochs=3");
        RunDirectory run = RunDirectory.create(dir, "tiny", dir.resolve("run"));
        try (GanTrainer t = new GanTrainer(c, data(c))) {
            t.addListener(new RunFilesListener(run));
            t.addListener(afterFirstEpoch(tr -> {
                NDArray w = param(tr.discriminator().params(), "d.out.weight").array();
                w.muli(Float.NaN);
            }));
            Diagnostics d = new Diagnostics(c.diagnostics(), run::appendEvent, null);
            t.addListener(d);
            assertThat(t.train(3)).isEqualTo(GanTrainer.Outcome.DIVERGED);
            assertThat(d.alarms()).extracting(Diagnostics.Alarm::name).containsExactly("divergence");
            assertThat(Checkpoint.list(run.checkpoints())).extracting(Checkpoint::step).containsExactly((long) t.stepsPerEpoch());
            assertThat(java.nio.file.Files.readString(run.path().resolve("events.jsonl"))).contains("\"alarm\":\"divergence\"")
                    .contains("docs/diagnostics.md#divergence");
        }
    }

    @Test
    void meanPairwiseDistanceOfKnownPoints() {
        // (0,0), (3,4), (6,8): distances 5, 10, 5 → mean 20/3.
        assertThat(Diagnostics.meanPairwiseDistance(new float[] {0, 0, 3, 4, 6, 8}, 3, 2)).isCloseTo(20.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    }
}
