package dev.gantry.lab.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import dev.gantry.data.Dataset;
import dev.gantry.data.Split;
import dev.gantry.data.ToyDataset;
import dev.gantry.data.ToyMixture;
import dev.gantry.train.GanTrainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The lab's settings: what they set in the config, what they refuse, and that every loss offered trains. */
class LabSettingsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void settingsBecomeTheToyPresetWithTheirKeys() throws Exception {
        LabSettings s = LabSettings.fromJson(JSON.readTree(
                "{\"mixture\": \"grid25\", \"loss\": \"wasserstein-gp\", \"k\": 5, \"lr\": 0.0002, \"noise_dim\": 3, \"hidden\": 32, \"seed\": 9}"));
        RunConfig c = s.config();
        assertThat(c.data().name()).isEqualTo("grid25");
        assertThat(c.loss().name()).isEqualTo("wasserstein");
        assertThat(c.loss().gpWeight()).isEqualTo(10);
        assertThat(c.optim().beta1()).isEqualTo(0.5);
        assertThat(c.optim().beta2()).isEqualTo(0.9);
        assertThat(c.optim().lr()).isEqualTo(0.0002);
        assertThat(c.train().k()).isEqualTo(5);
        assertThat(c.train().schedule()).isEqualTo("alternating");
        assertThat(c.model().noiseDim()).isEqualTo(3);
        assertThat(c.model().gHidden()).isEqualTo(32);
        assertThat(c.model().dUnits()).isEqualTo(32);
        assertThat(c.seed()).isEqualTo(9);
        assertThat(s.toyMixture()).isSameAs(ToyMixture.GRID25);
        assertThat(s.std()).isEqualTo(0.05);
        // The page sends back what it was given.
        assertThat(LabSettings.fromJson(s.toJson())).isEqualTo(s);
    }

    @Test
    void aMixtureDrawnWithTheMouseIsItsCentresAndStd() throws Exception {
        LabSettings s = LabSettings.fromJson(JSON.readTree(
                "{\"mixture\": \"custom\", \"centres\": [[0.5, -0.5], [2, 3]], \"std\": 0.2}"));
        ToyMixture m = s.toyMixture();
        assertThat(m.modes()).isEqualTo(2);
        assertThat(m.means()).isDeepEqualTo(new double[][] {{0.5, -0.5}, {2, 3}});
        assertThat(m.std()).isEqualTo(0.2);
        // Its points are the trainer's data: near the two centres.
        float[] p = new ToyDataset(m).load(Split.TRAIN, new Dataset.Request(null, 1000, 1, null)).pixels();
        for (int i = 0; i < p.length; i += 2) {
            double d = Math.min(Math.hypot(p[i] - 0.5, p[i + 1] + 0.5), Math.hypot(p[i] - 2, p[i + 1] - 3));
            assertThat(d).isLessThan(6 * 0.2);
        }
        assertThat(LabSession.extent(m)).isEqualTo(1.2 * (3 + 4 * 0.2));
        assertThat(LabSession.extent(ToyMixture.RING8)).isEqualTo(1.2 * (1 + 4 * 0.01));
    }

    @Test
    void outOfRangeValuesAreRefusedByName() {
        assertThatThrownBy(() -> new LabSettings("ring8", null, 0, "gan", 11, 1e-3, 1e-3, 2, 128, 0))
                .isInstanceOf(BadInputException.class).hasMessage("k: expected an integer in [1, 10] (got 11)");
        assertThatThrownBy(() -> new LabSettings("ring8", null, 0, "gan", 1, Double.NaN, 1e-3, 2, 128, 0))
                .hasMessage("lr: expected a learning rate in [1.0E-6, 0.1] (got NaN)");
        assertThatThrownBy(() -> new LabSettings("ring8", null, 0, "gan", 1, 1e-3, 0.5, 2, 128, 0))
                .hasMessage("lr_d: expected a learning rate in [1.0E-6, 0.1] (got 0.5)");
        assertThatThrownBy(() -> new LabSettings("ring9", null, 0, "gan", 1, 1e-3, 1e-3, 2, 128, 0))
                .hasMessage("mixture: expected one of ring8, grid25, custom (got 'ring9')");
        assertThatThrownBy(() -> new LabSettings("custom", new double[51][], 0.1, "gan", 1, 1e-3, 1e-3, 2, 128, 0))
                .hasMessageStartingWith("centres: a custom mixture needs 1 to 50 centres (got 51)");
        assertThatThrownBy(() -> new LabSettings("custom", new double[][] {{0, Double.POSITIVE_INFINITY}}, 0.1, "gan", 1, 1e-3, 1e-3, 2, 128, 0))
                .hasMessageStartingWith("centres[0]: expected a point [x, y]");
        assertThatThrownBy(() -> new LabSettings("ring8", null, 0, "gan", 1, 1e-3, 1e-3, 0, 128, 0))
                .hasMessage("noise_dim: expected an integer in [1, 64] (got 0)");
        assertThatThrownBy(() -> new LabSettings("ring8", null, 0, "gan", 1, 1e-3, 1e-3, 2, 3, 0))
                .hasMessage("hidden: expected an integer in [4, 512] (got 3)");
        assertThatThrownBy(() -> LabSettings.fromJson(JSON.readTree("[1]"))).hasMessage("settings: expected a JSON object");
        assertThatThrownBy(() -> LabSettings.fromJson(JSON.readTree("{\"k\": 1e10}"))).hasMessageStartingWith("k: expected an integer");
        assertThatThrownBy(() -> LabSettings.fromJson(JSON.readTree("{\"centres\": [[1, \"a\"]], \"mixture\": \"custom\"}")))
                .hasMessage("centres[0]: expected a point [x, y] of two numbers");
    }

    /** Two learning rates (Heusel et al. 2017): D's optimizer takes lr_d, G's lr. */
    @Test
    void gAndDHaveTheirOwnLearningRates() throws Exception {
        LabSettings s = LabSettings.fromJson(JSON.readTree("{\"lr\": 0.0001, \"lr_d\": 0.0004}"));
        assertThat(s.configSets()).contains("optim.lr=1.0E-4", "optim.d_lr=4.0E-4");
        RunConfig c = s.config();
        try (GanTrainer t = new GanTrainer(c, new ToyDataset(s.toyMixture()).load(Split.TRAIN,
                new Dataset.Request(null, c.data().trainSize(), c.seed(), null)))) {
            assertThat(t.optimizerG().learningRate()).isEqualTo(1e-4);
            assertThat(t.optimizerD().learningRate()).isEqualTo(4e-4);
        }
        assertThat(LabSettings.fromJson(s.toJson())).usingRecursiveComparison().isEqualTo(s);
    }

    /** Every loss the page offers trains on the lab's networks (WGAN-GP needs D's input gradient: maxout has it). */
    @ParameterizedTest
    @ValueSource(strings = {"gan", "gan-minimax", "least-squares", "hinge", "wasserstein-gp"})
    void everyLossOfferedTrains(String loss) {
        LabSettings s = new LabSettings("ring8", null, 0, loss, 2, 1e-3, 1e-3, 2, 8, 0);
        assertThat(LabSettings.LOSSES).containsKey(loss);
        RunConfig c = s.config();
        try (GanTrainer t = new GanTrainer(c, new ToyDataset(s.toyMixture()).load(Split.TRAIN,
                new Dataset.Request(null, c.data().trainSize(), c.seed(), null)))) {
            assertThat(t.train(Integer.MAX_VALUE, 10)).isEqualTo(GanTrainer.Outcome.FINISHED);
            assertThat(t.step()).isEqualTo(10);
            assertThat(t.lastStats().diverged()).isFalse();
        }
    }
}
