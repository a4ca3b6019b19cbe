package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.BatchNorm;
import dev.gantry.nn.Dense;
import dev.gantry.nn.Module;
import dev.gantry.nn.Param;
import dev.gantry.nn.WeightNormDense;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ssgan-mlp}: the permutation-invariant MNIST networks of Salimans et al. (2016, "Improved
 * Techniques for Training GANs", §5; protocols.md §9) for semi-supervised learning. D: Gaussian
 * noise (σ 0.3) on the pixels, then ReLU layers of 1000, 500, 250, 250, 250 units, each input but
 * the first with Gaussian noise of σ 0.5, and {@value #CLASSES} class logits; its real/fake logit
 * is log Σ_k exp l_k (the K+1-th, "fake", logit fixed at 0). G: z → 500 → 500 softplus units with
 * batch normalisation → sigmoid pixels.
 *
 * <p>As in their code ({@code train_mnist_feature_matching.py}): every layer of D is
 * weight-normalised ({@link WeightNormDense}); the hidden layers' lengths are fixed by a
 * data-dependent initialisation on a batch of training images (with D's noise), so that training
 * moves only their directions and biases, and the class layer's length is trained; the input of the
 * class layer gets noise of σ 0.5 too; G's output layer is weight-normalised with a trained length
 * starting at 1 and a bias starting at 0. Deviations on purpose: G's noise is {@code model.noise}
 * (they draw U(0, 1)), and G's batch norm has a trained scale (theirs has only a shift).
 */
final class SalimansMlp implements Architecture {

    static final int CLASSES = 10;
    static final int[] D_WIDTHS = {1000, 500, 250, 250, 250};
    static final int[] G_WIDTHS = {500, 500};
    static final float INPUT_NOISE = 0.3f;
    static final float HIDDEN_NOISE = 0.5f;

    @Override
    public void check(RunConfig.ModelConfig m, ImageShape data) {
        Models.checkImageSize(m, data);
        if (m.conditional()) {
            throw new BadInputException("model ssgan-mlp is the semi-supervised D of Salimans et al.: model.conditional is not available");
        }
    }

    @Override
    public Generator generator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, PixelMeans means, int classes) {
        return new G(manager, m, data, means);
    }

    @Override
    public Discriminator discriminator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, int classes) {
        if (classes != 0) {
            throw new BadInputException("model ssgan-mlp: its D takes no labels or codes (not with loss.name = bigan)");
        }
        return new D(manager, data);
    }

    @Override
    public List<TensorSize> tensorSizes(RunConfig.ModelConfig m, ImageShape data) {
        List<TensorSize> t = new ArrayList<>();
        long dim = data.dim();
        long in = m.noiseDim();
        String inKey = "model.noise_dim";
        for (int i = 0; i < G_WIDTHS.length; i++) {
            dense(t, "g.h" + (i + 1), G_WIDTHS[i], in, String.valueOf(G_WIDTHS[i]) + " × " + inKey);
            PaperMlp.batchNorm(t, "g.bn" + (i + 1), G_WIDTHS[i], 1, "", String.valueOf(G_WIDTHS[i]));
            in = G_WIDTHS[i];
            inKey = String.valueOf(G_WIDTHS[i]);
        }
        weightNorm(t, "g.out", dim, in, "C·H·W (" + dim + ") × " + in, true);
        in = dim;
        inKey = "C·H·W (" + dim + ")";
        for (int i = 0; i < D_WIDTHS.length; i++) {
            weightNorm(t, "d.h" + (i + 1), D_WIDTHS[i], in, D_WIDTHS[i] + " × " + inKey, false);
            in = D_WIDTHS[i];
            inKey = String.valueOf(D_WIDTHS[i]);
        }
        weightNorm(t, "d.out", CLASSES, in, CLASSES + " × " + in, true);
        return t;
    }

    private static void weightNorm(List<TensorSize> t, String name, long out, long in, String keys, boolean trainScale) {
        t.add(new TensorSize(name + ".v", TensorSize.times(out, in), 1, true, keys, ""));
        t.add(new TensorSize(name + ".bias", out, 1, true, String.valueOf(out), ""));
        t.add(new TensorSize(name + ".g", out, 1, trainScale, String.valueOf(out), ""));
    }

    private static void dense(List<TensorSize> t, String name, long out, long in, String keys) {
        t.add(new TensorSize(name + ".weight", TensorSize.times(out, in), 1, true, keys, ""));
        t.add(new TensorSize(name + ".bias", out, 1, true, String.valueOf(out), ""));
    }

    static final class G implements Generator {
        private final ImageShape shape;
        private final int noiseDim;
        private final boolean normalNoise;
        private final List<Dense> layers = new ArrayList<>();
        private final List<BatchNorm> norms = new ArrayList<>();
        private final WeightNormDense out;

        G(NDManager manager, RunConfig.ModelConfig m, ImageShape shape, PixelMeans means) {
            this.shape = shape;
            this.noiseDim = m.noiseDim();
            this.normalNoise = "normal".equals(m.noise());
            int in = noiseDim;
            for (int i = 0; i < G_WIDTHS.length; i++) {
                layers.add(Dense.normal(manager, "g.h" + (i + 1), in, G_WIDTHS[i], 0.05));
                norms.add(new BatchNorm(manager, "g.bn" + (i + 1), G_WIDTHS[i]));
                in = G_WIDTHS[i];
            }
            this.out = new WeightNormDense(manager, "g.out", in, shape.dim(), 0.05, true);
        }

        @Override
        public int noiseDim() {
            return noiseDim;
        }

        @Override
        public ImageShape outputShape() {
            return shape;
        }

        @Override
        public NDArray sampleNoise(NDManager manager, int n) {
            return PaperGenerator.noise(manager, n, noiseDim, normalNoise);
        }

        @Override
        public NDArray forward(NDArray z, NDArray y, boolean frozen, boolean training) {
            Conditioning.check(y, 0, "G");
            NDArray h = z;
            for (int i = 0; i < layers.size(); i++) {
                h = norms.get(i).forward(layers.get(i).forward(h, frozen), training, frozen).getNDArrayInternal().softPlus();  // [B, 500]
            }
            NDArray x = out.forward(h, frozen).getNDArrayInternal().sigmoid();                        // [B, C·H·W]
            return x.reshape(new Shape(x.getShape().get(0), shape.channels(), shape.height(), shape.width()));
        }

        @Override
        public List<Param> params() {
            List<Param> all = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                all.addAll(layers.get(i).params());
                all.addAll(norms.get(i).params());
            }
            all.addAll(out.params());
            return all;
        }

        @Override
        public List<NDArray> buffers() {
            return Module.buffersOf(norms);
        }
    }

    static final class D implements Discriminator {
        private final ImageShape shape;
        private final List<WeightNormDense> layers = new ArrayList<>();
        private final WeightNormDense out;

        D(NDManager manager, ImageShape shape) {
            this.shape = shape;
            int in = shape.dim();
            for (int i = 0; i < D_WIDTHS.length; i++) {
                layers.add(new WeightNormDense(manager, "d.h" + (i + 1), in, D_WIDTHS[i], 0.1, false));
                in = D_WIDTHS[i];
            }
            this.out = new WeightNormDense(manager, "d.out", in, CLASSES, 0.1, true);
        }

        /** Their data-dependent initialisation: layer by layer, on the batch x with D's noise, each unit's pre-activation to mean 0, variance 1. */
        @Override
        public void initFromData(NDManager scope, NDArray x) {
            NDList noise = sampleMasks(scope, (int) x.getShape().get(0));
            NDArray h = x.reshape(x.getShape().get(0), -1);
            for (int i = 0; i < layers.size(); i++) {
                h = layers.get(i).initFromData(h.add(noise.get(i))).getNDArrayInternal().relu();
            }
            out.initFromData(h.add(noise.get(layers.size())));
        }

        @Override
        public ImageShape inputShape() {
            return shape;
        }

        /** Gaussian noise for every layer's input, the class layer's included: σ 0.3 on the pixels, 0.5 on the hidden units. */
        @Override
        public NDList sampleMasks(NDManager manager, int batch) {
            NDList noise = new NDList();
            int in = shape.dim();
            for (int i = 0; i <= D_WIDTHS.length; i++) {
                noise.add(manager.randomNormal(0f, i == 0 ? INPUT_NOISE : HIDDEN_NOISE, new Shape(batch, in), ai.djl.ndarray.types.DataType.FLOAT32));
                in = i < D_WIDTHS.length ? D_WIDTHS[i] : 0;
            }
            return noise;
        }

        private NDArray hidden(NDArray x, NDList noise, boolean frozen) {
            NDArray h = x.reshape(x.getShape().get(0), -1);                                          // [B, C·H·W]
            for (int i = 0; i < layers.size(); i++) {
                if (noise != null) {
                    h = h.add(noise.get(i));
                }
                h = layers.get(i).forward(h, frozen).getNDArrayInternal().relu();                    // [B, width_i]
            }
            return h;                                                                                // [B, 250]
        }

        @Override
        public NDArray classLogits(NDArray x, NDList masks, boolean frozen) {
            NDArray h = hidden(x, masks, frozen);                                                    // [B, 250]
            if (masks != null) {
                h = h.add(masks.get(layers.size()));
            }
            return out.forward(h, frozen);                                                           // [B, K]
        }

        /** The real/fake logit log Σ_k exp l_k [B]. */
        @Override
        public NDArray logits(NDArray x, NDList masks, boolean frozen) {
            NDArray l = classLogits(x, masks, frozen);                                               // [B, K]
            NDArray top = l.max(new int[] {1}, true).stopGradient();                                 // [B, 1], for stability
            return l.sub(top).exp().sum(new int[] {1}).log().add(top.reshape(-1));                  // [B]
        }

        @Override
        public NDArray features(NDArray x) {
            return hidden(x, null, true);
        }

        @Override
        public NDArray features(NDArray x, NDList masks, boolean frozen) {
            return hidden(x, masks, frozen);
        }

        @Override
        public String inputGradientUnavailable() {
            return "model ssgan-mlp has no hand-written input gradient";
        }

        @Override
        public List<Param> params() {
            List<Param> all = Module.paramsOf(layers);
            all.addAll(out.params());
            return all;
        }

        @Override
        public List<NDArray> buffers() {
            return Module.buffersOf(layers);
        }
    }
}
