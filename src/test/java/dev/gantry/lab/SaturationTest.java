package dev.gantry.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.gantry.util.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gradients G receives under both losses, against their closed forms. */
class SaturationTest {

    @TempDir
    Path tmp;

    /**
     * Per sample, autograd through D gives −σ(l)·∂l/∂x (minimax) and −(1 − σ(l))·∂l/∂x
     * (non-saturating), so their ratio is e^(−l) at every logit l.
     */
    @Test
    void inputGradientsMatchTheClosedFormAtEveryLogit() {
        float[] xs = new float[41];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -4f + 0.2f * i;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.seedEngine(5, Seeds.INIT, 0);
            Mlp d = new Mlp(manager, "d", 1, 16, 2, Mlp.Activation.RELU);
            d.shiftOutput(manager, -3f);   // logits well below 0: D(x) small, the saturating regime
            LabNets.InputGradients g = LabNets.inputGradients(manager, d, xs);
            int checked = 0;
            for (int i = 0; i < xs.length; i++) {
                double l = g.logit()[i];
                double dl = g.dLogit()[i][0];
                double s = Divergences.sigmoid(l);
                assertThat(g.minimax()[i][0]).isCloseTo(-s * dl, within(1e-5 * Math.abs(dl) + 1e-9));
                assertThat(g.nonSaturating()[i][0]).isCloseTo(-(1 - s) * dl, within(1e-5 * Math.abs(dl) + 1e-9));
                if (Math.abs(dl) > 1e-3) {
                    double ratio = g.nonSaturating()[i][0] / g.minimax()[i][0];
                    assertThat(ratio).isCloseTo(Math.exp(-l), within(1e-4 * Math.exp(-l)));
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(20);
            assertThat(Saturation.closedFormError(g)).isLessThan(1e-4);
        }
    }

    @Test
    void aWinningDiscriminatorStarvesTheMinimaxLossOnly() throws Exception {
        Saturation.Params p = Saturation.Params.defaults().withBudget(150, 20).withOut(tmp);
        Saturation.Result r = Saturation.run(p);
        assertThat(r.meanDgz()).isLessThan(0.2);
        assertThat(r.ratio()).isGreaterThan(3);
        assertThat(r.gradNonSaturating() / r.gradMinimax()).isEqualTo(r.ratio());
        assertThat(r.closedFormMaxError()).isLessThan(1e-4);
        assertThat(r.jsdStart()).isCloseTo(Divergences.LOG2, within(0.01));
        assertThat(r.jsdNonSaturating()).isLessThan(r.jsdMinimax());
        assertThat(r.probes()).isNotEmpty();
        for (String png : r.pngs()) {
            assertThat(Files.size(Path.of(png))).isPositive();
        }
    }
}
