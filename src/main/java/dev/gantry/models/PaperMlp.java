package dev.gantry.models;

import ai.djl.ndarray.NDManager;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;

/**
 * {@code paper-mlp}: the MLP generator and maxout discriminator of Goodfellow et al. (2014) with
 * the default sizes, PacGAN's 2D networks with theirs. Images of any shape: both flatten.
 */
final class PaperMlp implements Architecture {

    @Override
    public void check(RunConfig.ModelConfig m, ImageShape data) {
        Models.checkImageSize(m, data);
    }

    @Override
    public Generator generator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, PixelMeans means, int classes) {
        double[] bias = null;
        if ("sigmoid".equals(m.gOutput())) {
            bias = "per_pixel".equals(m.gOutputBias()) ? PaperGenerator.logits(means.perPixel())
                    : PaperGenerator.logits(new double[] {means.overall()});
        }
        return new PaperGenerator(manager, m.noiseDim(), m.gHidden(), m.gLayers(), data, m.gInitRange(),
                "normal".equals(m.noise()), m.gBatchNorm(), bias, classes);
    }

    @Override
    public Discriminator discriminator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, int classes) {
        return new PaperDiscriminator(manager, data, m.dUnits(), m.dPieces(), m.dLayers(), m.dInitRange(),
                m.dKeepInput(), m.dKeepHidden(), m.dSpectralNorm(), classes);
    }
}
