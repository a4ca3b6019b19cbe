package dev.gantry.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** D's hand-written input gradient (used by the gradient penalty) equals autograd's ∂logit/∂x. */
class InputGradientTest {

    @ParameterizedTest
    @CsvSource({"1.0,1.0,false", "0.8,0.5,false", "1.0,1.0,true", "0.8,0.5,true"})
    void handWrittenBackwardMatchesAutograd(double keepIn, double keepHidden, boolean spectralNorm) {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            PaperDiscriminator d = new PaperDiscriminator(m, 6, 4, 3, 3, 0.5, keepIn, keepHidden, spectralNorm);
            NDArray x = m.randomUniform(-1f, 1f, new Shape(5, 6));
            for (int i = 0; i < 200; i++) {
                d.logits(x, null, false);   // converge the spectral-norm power iteration, so both paths use one σ
            }
            NDList masks = d.sampleMasks(m, 5);
            float[] manual;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                manual = d.inputGradient(x, masks).toFloatArray();
            }
            dev.gantry.nn.NdTestSupport.assertInputGradientIsAutograds(manual, x, xr -> d.logits(xr, masks, true));
        }
    }
}
