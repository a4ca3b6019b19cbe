package dev.gantry.optim;

import static dev.gantry.nn.NdTestSupport.grad;
import static dev.gantry.nn.NdTestSupport.toDoubles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gantry.config.RunConfig;
import dev.gantry.nn.Param;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Adam against torch.optim.Adam's update written out by hand in doubles. */
class AdamTest {

    /**
     * With a large ε (0.05, gradients ~0.1) the place of ε matters: torch adds it to √v̂, Kingma &amp; Ba's
     * "efficient" form adds ε̂ to √v; the two differ by far more than the tolerance.
     */
    @ParameterizedTest
    @CsvSource({"0.01, 0.9, 0.999, 1e-8", "0.05, 0.8, 0.99, 0.05"})
    void threeStepsMatchTorchAdam(double lr, double beta1, double beta2, double eps) {
        RunConfig.OptimConfig c = new RunConfig.OptimConfig("adam", lr, 1.0, 0.0, 0.5, 0.7, 1, 250, beta1, beta2, eps, 0);
        float[][] grads = {{0.1f, -0.2f, 0.05f, 1.5f}, {-0.3f, -0.1f, 0.02f, 1.0f}, {0.2f, 0.4f, -0.01f, -2.0f}};
        double[] p = {0.5, -1.0, 2.0, 0.0};
        double[] mm = new double[4];
        double[] vv = new double[4];
        try (NDManager m = NDManager.newBaseManager()) {
            Param param = new Param("w", m.create(new float[] {0.5f, -1f, 2f, 0f}));
            Optimizer opt = Optimizer.create(m, List.of(param), c);
            assertThat(opt).isInstanceOf(Adam.class);
            assertThat(opt.learningRate()).isEqualTo(lr);
            assertThat(opt.momentum(7)).isEqualTo(beta1);
            for (int t = 1; t <= 3; t++) {
                SgdMomentumTest.backwardLinear(m, param, grads[t - 1]);
                opt.step(0);
                double bias1 = 1 - Math.pow(beta1, t);
                double bias2 = 1 - Math.pow(beta2, t);
                for (int i = 0; i < 4; i++) {
                    double g = grads[t - 1][i];
                    mm[i] = beta1 * mm[i] + (1 - beta1) * g;
                    vv[i] = beta2 * vv[i] + (1 - beta2) * g * g;
                    // torch: θ ← θ − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)
                    p[i] -= lr / bias1 * mm[i] / (Math.sqrt(vv[i]) / Math.sqrt(bias2) + eps);
                }
                double[] got = toDoubles(param.array());
                List<NDArray> state = opt.stateArrays();
                assertThat(state).extracting(NDArray::getName).containsExactly("w/m", "w/v");
                double[] gotM = toDoubles(state.get(0));
                double[] gotV = toDoubles(state.get(1));
                for (int i = 0; i < 4; i++) {
                    assertThat(got[i]).as("θ[%d] after step %d", i, t).isCloseTo(p[i], within(2e-6));
                    assertThat(gotM[i]).as("m[%d] after step %d", i, t).isCloseTo(mm[i], within(1e-6));
                    assertThat(gotV[i]).as("v[%d] after step %d", i, t).isCloseTo(vv[i], within(1e-6));
                }
                assertThat(grad(param.array())).as("gradient after step %d", t).containsOnly(0.0);
                assertThat(opt.updates()).isEqualTo(t);
            }
            if (eps > 0.01) {
                // The test can tell ε's placement apart: the other form lands elsewhere.
                double[] other = otherEpsPlacement(grads, lr, beta1, beta2, eps);
                assertThat(Math.abs(other[0] - toDoubles(param.array())[0])).isGreaterThan(1e-3);
            }
        }
    }

    /** Kingma &amp; Ba's "efficient" form: θ ← θ − lr·√(1−β2^t)/(1−β1^t) · m / (√v + ε). */
    private static double[] otherEpsPlacement(float[][] grads, double lr, double beta1, double beta2, double eps) {
        double[] p = {0.5, -1.0, 2.0, 0.0};
        double[] mm = new double[4];
        double[] vv = new double[4];
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < 4; i++) {
                double g = grads[t - 1][i];
                mm[i] = beta1 * mm[i] + (1 - beta1) * g;
                vv[i] = beta2 * vv[i] + (1 - beta2) * g * g;
                p[i] -= lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)) * mm[i] / (Math.sqrt(vv[i]) + eps);
            }
        }
        return p;
    }
}
