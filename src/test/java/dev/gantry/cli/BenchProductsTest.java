package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matrix products `gantry bench step` attributes to one step, counted by hand for the paper's networks. */
class BenchProductsTest {

    @Test
    void simultaneousPaperStep() {
        var c = ConfigLoader.load("paper-mnist", null, List.of());
        List<BenchCommand.MatMul> p = BenchCommand.products(c, 784);
        // G: 3 forward + 3 weight grads + 2 input grads; D on real and D on fake: 8 each; frozen D: 3 + 3.
        assertThat(p).hasSize(8 + 8 + 8 + 6);
        double gForward = 2.0 * 100 * (100 * 1200 + 1200 * 1200 + 1200 * 784);
        double dForward = 2.0 * 100 * (784 * 1200 + 240 * 1200 + 240 * 1);
        double gBackward = gForward + 2.0 * 100 * (1200 * 1200 + 1200 * 784);            // all weight grads + 2 input grads
        double dTrainBackward = dForward + 2.0 * 100 * (240 * 1200 + 240 * 1);           // weight grads + input grads of layers 2, 3
        double dFrozenBackward = dForward;                                              // input grads of all 3 layers
        double expected = gForward + gBackward + 2 * (dForward + dTrainBackward) + dForward + dFrozenBackward;
        assertThat(p.stream().mapToDouble(BenchCommand.MatMul::flops).sum()).isEqualTo(expected);
    }

    @Test
    void alternatingStepWithK() {
        var c = ConfigLoader.load("mnist-mlp-adam", null, List.of("train.k=3"));
        // Per D step: frozen G forward (3), D real (8), D fake (8); then G (8) and frozen D (6).
        assertThat(BenchCommand.products(c, 784)).hasSize(3 * (3 + 8 + 8) + 8 + 6);
    }
}
