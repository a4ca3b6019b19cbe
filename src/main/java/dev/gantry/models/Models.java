package dev.gantry.models;

import ai.djl.ndarray.NDManager;
import dev.gantry.config.RunConfig;

/** Builds the networks a config names. */
public final class Models {

    private Models() {}

    /** A generator and a discriminator built together (the order fixes how the seed is consumed). */
    public record Pair(Generator generator, Discriminator discriminator) {}

    /**
     * Builds G then D from the config, drawing initial weights from the engine's current RNG.
     *
     * @param dataDim dimension of one data sample
     * @param meanPixel mean of the training data, for the paper generator's output bias
     */
    public static Pair build(NDManager manager, RunConfig.ModelConfig m, int dataDim, double meanPixel) {
        if (!"paper-mlp".equals(m.arch())) {
            throw new IllegalArgumentException("unknown architecture " + m.arch());
        }
        Generator g = new PaperGenerator(manager, m.noiseDim(), m.gHidden(), m.gLayers(), dataDim, m.gInitRange(),
                "normal".equals(m.noise()), m.gBatchNorm(), "sigmoid".equals(m.gOutput()), meanPixel);
        Discriminator d = new PaperDiscriminator(manager, dataDim, m.dUnits(), m.dPieces(), m.dLayers(), m.dInitRange(),
                m.dKeepInput(), m.dKeepHidden(), m.dSpectralNorm());
        return new Pair(g, d);
    }
}
