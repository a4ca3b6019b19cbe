package dev.gantry.models;

import ai.djl.ndarray.NDManager;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import java.util.ArrayList;
import java.util.List;

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

    @Override
    public List<TensorSize> tensorSizes(RunConfig.ModelConfig m, ImageShape data) {
        List<TensorSize> t = new ArrayList<>();
        long dim = data.dim();
        String pixels = "C·H·W (" + dim + ")";
        // G: g_layers ReLU layers of g_hidden (each optionally batch-normed), then the output layer.
        long hidden = m.gHidden();
        dense(t, "g.h1", hidden, m.noiseDim(), 1, "", "model.g_hidden", "model.noise_dim", false);
        if (m.gBatchNorm()) {
            batchNorm(t, "g.bn1", hidden, 1, "", "model.g_hidden");
        }
        long more = m.gLayers() - 1L;
        if (more > 0) {
            String range = m.gLayers() == 2 ? "g.h2" : "g.h2..g.h" + m.gLayers();
            dense(t, range, hidden, hidden, more, "model.g_layers", "model.g_hidden", "model.g_hidden", false);
            if (m.gBatchNorm()) {
                batchNorm(t, m.gLayers() == 2 ? "g.bn2" : "g.bn2..g.bn" + m.gLayers(), hidden, more, "model.g_layers", "model.g_hidden");
            }
        }
        dense(t, "g.out", dim, hidden, 1, "", pixels, "model.g_hidden", false);
        // D: d_layers maxout layers, each an affine map to d_units × d_pieces, then one logit.
        long pieces = TensorSize.times(m.dUnits(), m.dPieces());
        String piecesKeys = "model.d_units × model.d_pieces";
        boolean sn = m.dSpectralNorm();
        dense(t, "d.maxout1", pieces, dim, 1, "", piecesKeys, pixels, sn);
        long deeper = m.dLayers() - 1L;
        if (deeper > 0) {
            String range = m.dLayers() == 2 ? "d.maxout2" : "d.maxout2..d.maxout" + m.dLayers();
            dense(t, range, pieces, m.dUnits(), deeper, "model.d_layers", piecesKeys, "model.d_units", sn);
        }
        dense(t, "d.out", 1, m.dUnits(), 1, "", "1", "model.d_units", sn);
        return t;
    }

    /** A dense layer's weight [out, in] and bias [out], and its spectral-norm vector [out] if any. */
    private static void dense(List<TensorSize> t, String name, long out, long in, long copies, String copiesKey, String outKeys,
                              String inKeys, boolean spectralNorm) {
        t.add(new TensorSize(name + ".weight", TensorSize.times(out, in), copies, true, outKeys + " × " + inKeys, copiesKey));
        t.add(new TensorSize(name + ".bias", out, copies, true, outKeys, copiesKey));
        if (spectralNorm) {
            t.add(new TensorSize(name + ".weight.sn_u", out, copies, false, outKeys, copiesKey));
        }
    }

    static void batchNorm(List<TensorSize> t, String name, long features, long copies, String copiesKey, String keys) {
        for (String p : new String[] {"gamma", "beta"}) {
            t.add(new TensorSize(name + "." + p, features, copies, true, keys, copiesKey));
        }
        for (String b : new String[] {"running_mean", "running_var"}) {
            t.add(new TensorSize(name + "." + b, features, copies, false, keys, copiesKey));
        }
    }
}
