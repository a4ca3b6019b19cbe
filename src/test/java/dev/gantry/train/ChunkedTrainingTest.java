package dev.gantry.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.FakeImages;
import dev.gantry.data.ImageSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code train(epochs, untilStep)}, the live lab's loop: it stops at the step asked for, in the middle
 * of an epoch if need be, and steps taken in chunks give the same parameters as one call.
 */
class ChunkedTrainingTest {

    @Test
    void chunksOfStepsFollowTheSameTrajectoryAsOneCall() {
        RunConfig config = ConfigLoader.load("tiny", null,
                List.of("optim.name=adam", "optim.lr=0.001", "train.schedule=alternating", "train.k=2"));
        ImageSet data = FakeImages.generate(config.data().trainSize(), 7);
        List<float[]> straight;
        int total;
        try (GanTrainer t = new GanTrainer(config, data)) {
            total = t.stepsPerEpoch() + 3;   // across an epoch boundary
            assertThat(t.stepsPerEpoch()).isGreaterThan(3);
            assertThat(t.train(2, total)).isEqualTo(GanTrainer.Outcome.FINISHED);
            assertThat(t.step()).isEqualTo(total);
            assertThat(t.epoch()).isEqualTo(1);
            assertThat(t.stepInEpoch()).isEqualTo(3);
            straight = ResumeTest.snapshot(t);
        }
        List<float[]> chunked;
        List<Long> starts = new ArrayList<>();
        try (GanTrainer t = new GanTrainer(config, data)) {
            t.addListener(new TrainingListener() {
                @Override
                public void onStart(TrainingView v) {
                    starts.add(v.step());
                }
            });
            for (long until = 2; t.step() < total; until = Math.min(total, until + 2)) {
                assertThat(t.train(2, until)).isEqualTo(GanTrainer.Outcome.FINISHED);
                assertThat(t.step()).isEqualTo(until);
            }
            chunked = ResumeTest.snapshot(t);
            // A limit already reached takes no step.
            t.train(2, 1);
            assertThat(t.step()).isEqualTo(total);
        }
        assertThat(starts).startsWith(0L, 2L, 4L);
        assertThat(chunked).hasSameSizeAs(straight);
        for (int i = 0; i < straight.size(); i++) {
            assertThat(chunked.get(i)).as("parameter %d", i).containsExactly(straight.get(i));
        }
    }
}
