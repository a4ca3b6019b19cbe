package dev.gantry.optim;

import static dev.gantry.nn.NdTestSupport.grad;
import static dev.gantry.nn.NdTestSupport.toDoubles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.gantry.config.RunConfig;
import dev.gantry.nn.Param;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SGD with the paper's momentum and learning-rate schedules, against the update computed by hand. */
class SgdMomentumTest {

    /** The paper's SGD settings with a fast decay and a high floor, so that both show within three steps. */
    static RunConfig.OptimConfig sgd(double lr, double decay, double lrMin) {
        return new RunConfig.OptimConfig("sgd", lr, decay, lrMin, 0.5, 0.7, 1, 250, 0.5, 0.999, 1e-8, 0);
    }

    /** Gives {@code p} the gradient {@code c} through a backward pass of Σ c·p. */
    static void backwardLinear(NDManager m, Param p, float[] c) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(p.array().mul(m.create(c)).sum());
        }
    }

    @Test
    void threeStepsMatchClassicalMomentumWithTheDecayedLearningRate() {
        RunConfig.OptimConfig c = sgd(0.1, 1.5, 0.05);
        float[][] grads = {{0.3f, -1f, 2f}, {-0.5f, 0.25f, 1f}, {1f, 1f, -3f}};
        int[] epochs = {0, 125, 400};
        double[] lrs = {0.1, 0.1 / 1.5, 0.05};                           // 0.1/1.5² = 0.0444 < floor 0.05
        double[] mus = {0.5, 0.5 + 0.2 * 124 / 249.0, 0.7};
        double[] p = {1, -2, 0.5};
        double[] v = new double[3];
        try (NDManager m = NDManager.newBaseManager()) {
            Param param = new Param("p", m.create(new float[] {1f, -2f, 0.5f}));
            Optimizer opt = Optimizer.create(m, List.of(param), c);
            assertThat(opt).isInstanceOf(SgdMomentum.class);
            for (int t = 0; t < 3; t++) {
                assertThat(opt.learningRate()).as("lr before update %d", t).isCloseTo(lrs[t], within(1e-15));
                assertThat(opt.momentum(epochs[t])).isCloseTo(mus[t], within(1e-15));
                backwardLinear(m, param, grads[t]);
                assertThat(grad(param.array())).containsExactly(toDoubles(m.create(grads[t])));
                opt.step(epochs[t]);
                for (int i = 0; i < 3; i++) {
                    v[i] = mus[t] * v[i] - lrs[t] * grads[t][i];
                    p[i] = p[i] + v[i];
                }
                double[] got = toDoubles(param.array());
                double[] velocity = toDoubles(opt.stateArrays().get(0));
                for (int i = 0; i < 3; i++) {
                    assertThat(got[i]).as("p[%d] after update %d", i, t + 1).isCloseTo(p[i], within(1e-6));
                    assertThat(velocity[i]).as("v[%d] after update %d", i, t + 1).isCloseTo(v[i], within(1e-6));
                }
                assertThat(grad(param.array())).as("gradient after update %d", t + 1).containsOnly(0.0);
                assertThat(opt.updates()).isEqualTo(t + 1);
            }
            assertThat(opt.stateArrays()).extracting(NDArray::getName).containsExactly("p/velocity");
        }
    }

    @Test
    void learningRateDecaysEveryUpdateAndStopsAtTheFloor() {
        RunConfig.OptimConfig paper = RunConfig.defaults().optim();
        assertThat(SgdMomentum.learningRate(paper, 0)).isEqualTo(0.1);
        assertThat(SgdMomentum.learningRate(paper, 1)).isCloseTo(0.1 / 1.000004, within(1e-15));
        // 0.1 / 1.000004^t: e^{−4} ≈ 0.0183 of the start after a million minibatches (200 epochs of 500).
        assertThat(SgdMomentum.learningRate(paper, 1_000_000)).isCloseTo(0.1 * Math.exp(-1_000_000 * Math.log(1.000004)),
                within(1e-12));
        assertThat(SgdMomentum.learningRate(paper, 1_000_000)).isCloseTo(0.1 * Math.exp(-4), within(1e-6));
        // The floor 1e−6 is reached when 0.1/1.000004^t = 1e−6, t = ln(1e5)/ln(1.000004) ≈ 2.88 million.
        long tFloor = (long) Math.ceil(Math.log(1e5) / Math.log(1.000004));
        assertThat(SgdMomentum.learningRate(paper, tFloor - 10)).isGreaterThan(1e-6);
        assertThat(SgdMomentum.learningRate(paper, tFloor + 10)).isEqualTo(1e-6);
        assertThat(SgdMomentum.learningRate(paper, 100_000_000L)).isEqualTo(1e-6);
    }

    @Test
    void momentumFollowsThePapersSchedule() {
        RunConfig.OptimConfig paper = RunConfig.defaults().optim();
        assertThat(paper.momentumInit()).isEqualTo(0.5);
        assertThat(paper.momentumFinal()).isEqualTo(0.7);
        assertThat(paper.momentumStartEpoch()).isEqualTo(1);
        assertThat(paper.momentumSaturateEpoch()).isEqualTo(250);
        // μ(e) = 0.5 for e ≤ 1, 0.5 + 0.2·(e − 1)/249 up to e = 250, 0.7 after.
        assertThat(SgdMomentum.momentum(paper, 0)).isEqualTo(0.5);
        assertThat(SgdMomentum.momentum(paper, 1)).isEqualTo(0.5);
        assertThat(SgdMomentum.momentum(paper, 2)).isCloseTo(0.5 + 0.2 / 249, within(1e-15));
        assertThat(SgdMomentum.momentum(paper, 125)).isCloseTo(0.5 + 0.2 * 124 / 249, within(1e-15));
        assertThat(SgdMomentum.momentum(paper, 250)).isCloseTo(0.7, within(1e-15));
        assertThat(SgdMomentum.momentum(paper, 400)).isCloseTo(0.7, within(1e-15));
        // Non-decreasing throughout.
        for (int e = 1; e < 300; e++) {
            assertThat(SgdMomentum.momentum(paper, e)).isGreaterThanOrEqualTo(SgdMomentum.momentum(paper, e - 1));
        }
    }
}
