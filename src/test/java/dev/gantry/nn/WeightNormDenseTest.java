package dev.gantry.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Weight normalisation (Salimans & Kingma 2016): row lengths, the data-dependent initialisation, the gradient's geometry. */
class WeightNormDenseTest {

    @Test
    void eachWeightRowHasLengthGAndInitFromDataStandardisesThePreActivations() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            WeightNormDense layer = new WeightNormDense(m, "w", 6, 3, 0.1, false);
            NDArray x = m.randomNormal(2f, 3f, new Shape(200, 6), ai.djl.ndarray.types.DataType.FLOAT32);
            float[] init = layer.initFromData(x).toFloatArray();
            // What the layer now computes on that batch is what initFromData returned: mean 0, variance 1 per unit.
            float[] y = layer.forward(x, true).toFloatArray();
            for (int j = 0; j < 3; j++) {
                double mean = 0;
                double sq = 0;
                for (int i = 0; i < 200; i++) {
                    assertThat(y[i * 3 + j]).isCloseTo(init[i * 3 + j], within(1e-4f));
                    mean += y[i * 3 + j] / 200.0;
                }
                for (int i = 0; i < 200; i++) sq += Math.pow(y[i * 3 + j] - mean, 2) / 200.0;
                assertThat(mean).isCloseTo(0, within(1e-4));
                assertThat(sq).isCloseTo(1, within(1e-3));
            }
            // Each row of W has length g (a buffer here, never a parameter).
            float[] w = layer.weight(true, m).toFloatArray();
            float[] g = layer.buffers().get(0).toFloatArray();
            assertThat(layer.params()).extracting(Param::name).containsExactly("w.v", "w.bias");
            for (int j = 0; j < 3; j++) {
                double len = 0;
                for (int k = 0; k < 6; k++) len += w[j * 6 + k] * w[j * 6 + k];
                assertThat(Math.sqrt(len)).isCloseTo(g[j], within(1e-4));
            }
        }
    }

    /** W depends on v only through v / ‖v‖: the gradient with respect to each row of v is orthogonal to it. */
    @Test
    void theGradientWithRespectToTheDirectionIsOrthogonalToIt() {
        Engine.getInstance().setRandomSeed(9);
        try (NDManager m = NDManager.newBaseManager()) {
            WeightNormDense layer = new WeightNormDense(m, "w", 5, 4, 0.1, true);
            assertThat(layer.params()).extracting(Param::name).containsExactly("w.v", "w.bias", "w.g");
            NDArray x = m.randomNormal(new Shape(7, 5));
            NDArray r = m.randomNormal(new Shape(7, 4));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(layer.forward(x, false).mul(r).sum());
            }
            float[] v = layer.params().get(0).array().toFloatArray();
            float[] dv = layer.params().get(0).array().getGradient().toFloatArray();
            double any = 0;
            for (int j = 0; j < 4; j++) {
                double dot = 0;
                double scale = 0;
                for (int k = 0; k < 5; k++) {
                    dot += v[j * 5 + k] * dv[j * 5 + k];
                    scale += Math.abs(v[j * 5 + k] * dv[j * 5 + k]);
                    any += Math.abs(dv[j * 5 + k]);
                }
                assertThat(Math.abs(dot)).as("row %d", j).isLessThan(1e-4 * (scale + 1e-6));
            }
            assertThat(any).isGreaterThan(1e-3);
            assertThat(layer.params().get(2).array().getGradient().abs().sum().getFloat()).as("g is trained").isGreaterThan(0f);
        }
    }
}
