package dev.gantry.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gantry.losses.AdversarialLoss;
import dev.gantry.losses.GanLoss;
import dev.gantry.losses.LeastSquaresLoss;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * A garbage collection between a loss's forward pass and its backward pass must not change the
 * gradient. DJL's {@code mul(Number)} left a tensor over a freed Java buffer in the graph, and a
 * collection at that moment scaled D's gradient by whatever the allocator wrote there.
 */
class TensorsTest {

    /** The gradient of {@code loss(w·a, w·b)} at w = 1, optionally collecting garbage before backward. */
    private static float[] gradient(BiFunction<NDArray, NDArray, NDArray> loss, boolean collect) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.ones(new Shape(4));
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray real = w.mul(m.create(new float[] {1f, 2f, -1f, 0.5f}));
                NDArray fake = w.mul(m.create(new float[] {-2f, 0f, 1f, 3f}));
                NDArray l = loss.apply(real, fake);
                if (collect) {
                    System.gc();
                    Thread.sleep(50);   // lets the cleaner free unreachable direct buffers
                    for (int i = 0; i < 64; i++) {   // and the allocator reuse their memory
                        try (NDArray junk = m.create(new float[] {1e30f, -1e30f})) {
                            junk.getFloat(0);
                        }
                    }
                }
                gc.backward(l);
            }
            return w.getGradient().toFloatArray();
        }
    }

    private static void assertCollectionDoesNotChangeTheGradient(BiFunction<NDArray, NDArray, NDArray> loss) throws Exception {
        float[] reference = gradient(loss, false);
        for (float v : reference) {
            assertThat(Float.isFinite(v)).isTrue();
        }
        assertThat(reference).isNotEqualTo(new float[4]);
        for (int trial = 0; trial < 3; trial++) {
            assertThat(gradient(loss, true)).as("trial %d", trial).containsExactly(reference);
        }
    }

    @Test
    void ganDiscriminatorLossSurvivesACollectionBeforeBackward() throws Exception {
        AdversarialLoss loss = GanLoss.of("non-saturating", 0.5);
        assertCollectionDoesNotChangeTheGradient(loss::discriminator);
    }

    @Test
    void leastSquaresLossesSurviveACollectionBeforeBackward() throws Exception {
        LeastSquaresLoss loss = new LeastSquaresLoss();
        assertCollectionDoesNotChangeTheGradient(loss::discriminator);
        assertCollectionDoesNotChangeTheGradient((real, fake) -> loss.generator(fake));
    }

    @Test
    void timesMultipliesAndDifferentiates() throws Exception {
        float[] g = gradient((real, fake) -> Tensors.times(real.add(fake).sum(), -2.5), true);
        // d/dw Σ (a + b)·w · (−2.5) = −2.5 (a + b)
        assertThat(g).containsExactly(2.5f, -5f, 0f, -8.75f);
    }
}
