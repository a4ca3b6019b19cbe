package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.BatchNorm;
import dev.gantry.nn.Conv2d;
import dev.gantry.nn.ConvTranspose2d;
import dev.gantry.nn.Dense;
import dev.gantry.nn.Module;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dcgan}: the all-convolutional networks of Radford, Metz &amp; Chintala (2016),
 * "Unsupervised Representation Learning with Deep Convolutional GANs" (protocols.md §7), in the
 * layout of pytorch/examples {@code dcgan/main.py}, for square images of side S = b·2^L.
 *
 * <p>G: z → a projection to a b×b map of d·2^(L−1) channels (b = 7 for 28×28, 4 for 32×32 or
 * 64×64), then L fractionally-strided convolutions of stride 2, each halving the channels, the last
 * making the image's C channels; batch norm and ReLU after every layer but the last. Deviation: the
 * output goes through a sigmoid, not the paper's tanh, because Gantry's images are in [0, 1].
 *
 * <p>D mirrors it: L strided convolutions (stride 2) from d channels, each doubling them, LeakyReLU
 * (slope 0.2) after each, batch norm after each but the first (none on D's input layer), then
 * the b×b map flattened to one logit. No pooling, no hidden fully connected layer. Every weight
 * from N(0, 0.02²), biases 0, batch-norm scales 1 (the paper's init; pytorch/examples draws the
 * scales from N(1, 0.02²)). Kernel 4 with padding 1 (stride 2 doubles or halves a side exactly),
 * or 5 with padding 2 and output padding 1 (the TensorFlow DCGAN tutorial's "same").
 */
final class Dcgan implements Architecture {

    /** The stage layout for images of side {@code size}. */
    record Layout(int size, int depth, int base, int kernel, int padding, int outputPadding) {}

    static Layout layout(RunConfig.ModelConfig m, ImageShape data) {
        Models.checkImageSize(m, data);
        if (data.height() != data.width()) {
            throw new BadInputException("model dcgan needs square images; the data are " + data);
        }
        int size = data.height();
        int depth = m.depth();
        if (depth > 30) {
            // 1 << depth wraps around from 32 on: a depth of 33 would pass the checks below as 1.
            throw new BadInputException("model dcgan with model.depth = " + depth + " does not fit " + data
                    + " images: the side must be b·2^depth with b >= 2, so depth is at most log2(" + size + " / 2)");
        }
        if (depth == 0) {
            // As many stride-2 stages as keep the smallest map at 4×4 or more (7×7 for 28×28).
            while (size % (1 << (depth + 1)) == 0 && size / (1 << (depth + 1)) >= 4) {
                depth++;
            }
        }
        if (depth == 0 || size % (1 << depth) != 0 || size / (1 << depth) < 2) {
            throw new BadInputException("model dcgan with model.depth = " + m.depth() + " does not fit " + data
                    + " images: the side must be b·2^depth with b >= 2 (e.g. 28 = 7·2², 32 = 4·2³)");
        }
        int padding = m.kernel() == 4 ? 1 : 2;
        int outputPadding = m.kernel() == 4 ? 0 : 1;
        return new Layout(size, depth, size >> depth, m.kernel(), padding, outputPadding);
    }

    @Override
    public void check(RunConfig.ModelConfig m, ImageShape data) {
        layout(m, data);
        if (m.dSpectralNorm()) {
            throw new BadInputException("model.d_spectral_norm is not available for model dcgan (only paper-mlp has it)");
        }
        if (!"sigmoid".equals(m.gOutput())) {
            throw new BadInputException("model dcgan makes images in [0, 1] through a sigmoid: model.g_output must be sigmoid (got "
                    + m.gOutput() + ")");
        }
    }

    @Override
    public Generator generator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, PixelMeans means, int classes) {
        return new G(manager, m, data, layout(m, data), classes);
    }

    @Override
    public Discriminator discriminator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, int classes) {
        return new D(manager, m, data, layout(m, data), classes);
    }

    @Override
    public List<TensorSize> tensorSizes(RunConfig.ModelConfig m, ImageShape data) {
        Layout l = layout(m, data);
        List<TensorSize> t = new ArrayList<>();
        long k2 = (long) l.kernel() * l.kernel();
        long bb = (long) l.base() * l.base();
        // G: a projection to a b×b map of width·2^(depth−1) channels, then depth transposed convolutions.
        long c0 = TensorSize.times(m.width(), 1L << (l.depth() - 1));
        String c0Keys = "model.width × 2^(depth−1) (" + (1L << (l.depth() - 1)) + ")";
        long projected = TensorSize.times(c0, bb);
        t.add(new TensorSize("g.project.weight", TensorSize.times(projected, m.noiseDim()), true,
                c0Keys + " × b² (" + bb + ") × model.noise_dim"));
        t.add(new TensorSize("g.project.bias", projected, true, c0Keys + " × b² (" + bb + ")"));
        if (m.gBatchNorm()) {
            PaperMlp.batchNorm(t, "g.bn0", c0, 1, "", c0Keys);
        }
        long in = c0;
        for (int i = 1; i <= l.depth(); i++) {
            boolean last = i == l.depth();
            long out = last ? data.channels() : in / 2;
            String keys = "model.width × " + (1L << (l.depth() - i)) + " × " + (last ? "C" : "model.width × " + (1L << (l.depth() - i - 1)))
                    + " × model.kernel²";
            t.add(new TensorSize("g.up" + i + ".weight", TensorSize.times(in, out, k2), true, keys));
            t.add(new TensorSize("g.up" + i + ".bias", out, true, last ? "C" : "model.width"));
            if (!last && m.gBatchNorm()) {
                PaperMlp.batchNorm(t, "g.bn" + i, out, 1, "", "model.width");
            }
            in = out;
        }
        // D: depth strided convolutions from width channels, each doubling them, then one logit.
        in = data.channels();
        long width = m.width();
        for (int i = 1; i <= l.depth(); i++) {
            String keys = "model.width × " + (1L << (i - 1)) + " × " + (i == 1 ? "C" : "model.width × " + (1L << (i - 2)))
                    + " × model.kernel²";
            t.add(new TensorSize("d.conv" + i + ".weight", TensorSize.times(width, in, k2), true, keys));
            t.add(new TensorSize("d.conv" + i + ".bias", width, true, "model.width"));
            if (i > 1 && m.dBatchNorm()) {
                PaperMlp.batchNorm(t, "d.bn" + i, width, 1, "", "model.width");
            }
            in = width;
            width = TensorSize.times(width, 2);
        }
        t.add(new TensorSize("d.out.weight", TensorSize.times(in, bb), true, "model.width × 2^(depth−1) × b² (" + bb + ")"));
        t.add(new TensorSize("d.out.bias", 1, true, "1"));
        return t;
    }

    /** The generator: projection, then fractionally-strided convolutions up to the image. */
    static final class G implements Generator {

        private final ImageShape shape;
        private final Layout layout;
        private final int noiseDim;
        private final boolean normalNoise;
        private final Dense project;
        private final List<ConvTranspose2d> ups = new ArrayList<>();
        private final List<BatchNorm> norms = new ArrayList<>();   // after the projection and every up but the last
        private final int channels0;
        private final int classes;

        /** @param classes 0, or a conditional G's classes: one-hot y joined to z before the projection */
        G(NDManager manager, RunConfig.ModelConfig m, ImageShape shape, Layout l, int classes) {
            this.shape = shape;
            this.classes = classes;
            this.layout = l;
            this.noiseDim = m.noiseDim();
            this.normalNoise = "normal".equals(m.noise());
            this.channels0 = m.width() << (l.depth() - 1);
            this.project = Dense.normal(manager, "g.project", noiseDim + classes, channels0 * l.base() * l.base(), m.initStd());
            if (m.gBatchNorm()) {
                norms.add(new BatchNorm(manager, "g.bn0", channels0));
            }
            int in = channels0;
            for (int i = 1; i <= l.depth(); i++) {
                boolean last = i == l.depth();
                int out = last ? shape.channels() : in / 2;
                ups.add(new ConvTranspose2d(manager, "g.up" + i, in, out, l.kernel(), 2, l.padding(), l.outputPadding(), m.initStd()));
                if (!last && m.gBatchNorm()) {
                    norms.add(new BatchNorm(manager, "g.bn" + i, out));
                }
                in = out;
            }
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
            Shape s = new Shape(n, noiseDim);
            return normalNoise ? manager.randomNormal(s) : manager.randomUniform(-1f, 1f, s);
        }

        @Override
        public int classes() {
            return classes;
        }

        @Override
        public NDArray forward(NDArray z, NDArray y, boolean frozen, boolean training) {
            Conditioning.check(y, classes, "G");
            long b = z.getShape().get(0);
            NDArray zy = y == null ? z : z.concat(y, 1);                               // [B, noiseDim + classes]
            NDArray h = project.forward(zy, frozen)                                    // [B, c0·b·b]
                    .reshape(b, channels0, layout.base(), layout.base());              // [B, c0, b, b]
            h = norm(0, h, training, frozen).getNDArrayInternal().relu();
            for (int i = 0; i < ups.size(); i++) {
                h = ups.get(i).forward(h, frozen);                                      // [B, c0/2^(i+1), b·2^(i+1), b·2^(i+1)]
                if (i + 1 < ups.size()) {
                    h = norm(i + 1, h, training, frozen).getNDArrayInternal().relu();
                }
            }
            return h.getNDArrayInternal().sigmoid();                                    // [B, C, S, S]
        }

        private NDArray norm(int i, NDArray h, boolean training, boolean frozen) {
            return norms.isEmpty() ? h : norms.get(i).forward(h, training, frozen);
        }

        @Override
        public List<Param> params() {
            List<Param> all = new ArrayList<>(project.params());
            for (int i = 0; i < ups.size(); i++) {
                if (!norms.isEmpty() && i < norms.size()) {
                    all.addAll(norms.get(i).params());
                }
                all.addAll(ups.get(i).params());
            }
            return all;
        }

        @Override
        public List<NDArray> buffers() {
            return Module.buffersOf(norms);
        }
    }

    /**
     * The discriminator: strided convolutions down to a b×b map φ(x), then one logit ψ(φ(x)). A
     * conditional D is a projection discriminator (Miyato & Koyama 2018): logit = ψ(φ(x)) +
     * ⟨V y, φ(x)⟩ with a learned class embedding V [F, K]. Chosen over joining y to x's channels
     * because it puts the label where D's features are, with the same convolutions as the
     * unconditional D, and it keeps the hand-written input gradient one term longer.
     */
    static final class D implements Discriminator {

        private final ImageShape shape;
        private final float leak;
        private final List<Conv2d> convs = new ArrayList<>();
        private final List<BatchNorm> norms = new ArrayList<>();   // after every conv but the first
        private final Dense out;
        private final int classes;
        private final Param embed;                                  // [F, K]: the class embedding V, or null

        D(NDManager manager, RunConfig.ModelConfig m, ImageShape shape, Layout l, int classes) {
            this.shape = shape;
            this.classes = classes;
            this.leak = (float) m.dLeak();
            int in = shape.channels();
            int width = m.width();
            for (int i = 1; i <= l.depth(); i++) {
                convs.add(new Conv2d(manager, "d.conv" + i, in, width, l.kernel(), 2, l.padding(), m.initStd()));
                if (i > 1 && m.dBatchNorm()) {
                    norms.add(new BatchNorm(manager, "d.bn" + i, width));
                }
                in = width;
                width *= 2;
            }
            this.out = Dense.normal(manager, "d.out", in * l.base() * l.base(), 1, m.initStd());
            int features = in * l.base() * l.base();
            this.embed = classes == 0 ? null
                    : new Param("d.embed", manager.randomNormal(0f, (float) m.initStd(), new Shape(features, classes), DataType.FLOAT32));
        }

        @Override
        public int classes() {
            return classes;
        }

        @Override
        public ImageShape inputShape() {
            return shape;
        }

        @Override
        public NDList sampleMasks(NDManager manager, int batch) {
            return new NDList();
        }

        @Override
        public NDArray logits(NDArray x, NDList masks, boolean frozen) {
            return logits(x, null, masks, frozen);
        }

        @Override
        public NDArray logits(NDArray x, NDArray y, NDList masks, boolean frozen) {
            Conditioning.check(y, classes, "D");
            NDArray h = x;                                                              // [B, C, S, S]
            for (int i = 0; i < convs.size(); i++) {
                h = convs.get(i).forward(h, frozen);                                    // [B, d·2^i, S/2^(i+1), S/2^(i+1)]
                if (i > 0 && !norms.isEmpty()) {
                    h = norms.get(i - 1).forward(h, true, frozen);
                }
                h = h.getNDArrayInternal().leakyRelu(leak);
            }
            NDArray flat = h.reshape(h.getShape().get(0), -1);                          // [B, d·2^(L−1)·b·b]
            NDArray logit = out.forward(flat, frozen).reshape(-1);                      // [B]
            if (y == null) {
                return logit;
            }
            NDArray v = embed.use(frozen, x.getManager());                              // [F, K]
            return logit.add(y.matMul(v.transpose()).mul(flat).sum(new int[] {1}));    // + ⟨V y, φ(x)⟩
        }

        /**
         * φ(x), the last convolution's maps flattened [B, d·2^(L−1)·b·b]; batch norm uses the
         * batch's statistics, as in every pass of this D.
         */
        @Override
        public NDArray features(NDArray x) {
            if (classes > 0) {
                throw new UnsupportedOperationException("a conditional D's features depend on the label it is asked about");
            }
            NDArray h = x;
            for (int i = 0; i < convs.size(); i++) {
                h = convs.get(i).forward(h, true);
                if (i > 0 && !norms.isEmpty()) {
                    h = norms.get(i - 1).forward(h, true, true);
                }
                h = h.getNDArrayInternal().leakyRelu(leak);
            }
            return h.reshape(h.getShape().get(0), -1);
        }

        @Override
        public String inputGradientUnavailable() {
            // Under batch norm one image's logit depends on the whole batch: a per-image input
            // gradient is not what WGAN-GP penalises (Gulrajani et al. 2017 drop batch norm from
            // the critic for this reason).
            return norms.isEmpty() ? null : "the gradient penalty needs model.d_batch_norm=false for model dcgan:"
                    + " with batch norm in D, one image's score depends on the whole batch (Gulrajani et al. 2017 drop it from the critic)";
        }

        @Override
        public NDArray inputGradient(NDArray x, NDList masks) {
            return inputGradient(x, null, masks);
        }

        @Override
        public NDArray inputGradient(NDArray x, NDArray y, NDList masks) {
            Conditioning.check(y, classes, "D");
            if (inputGradientUnavailable() != null) {
                throw new UnsupportedOperationException(inputGradientUnavailable());
            }
            // Forward, keeping each pre-activation (its sign gives the LeakyReLU's slope).
            List<NDArray> pre = new ArrayList<>();
            List<long[]> inSizes = new ArrayList<>();
            NDArray h = x;
            for (Conv2d c : convs) {
                inSizes.add(new long[] {h.getShape().get(2), h.getShape().get(3)});
                NDArray a = c.forward(h, false);
                pre.add(a);
                h = a.getNDArrayInternal().leakyRelu(leak);
            }
            // Backward by hand: ∂logit/∂h_L = w_out (+ V y for a projection D), then each LeakyReLU and convolution.
            long b = x.getShape().get(0);
            NDArray wOut = out.weight().array();                                        // [1, F]
            NDArray g = x.getManager().ones(new Shape(b, 1)).matMul(wOut);              // [B, F]
            if (y != null) {
                g = g.add(y.matMul(embed.array().transpose()));                         // [B, F]
            }
            g = g.reshape(h.getShape());                                                // [B, c_L, b, b]
            for (int i = convs.size() - 1; i >= 0; i--) {
                NDArray a = pre.get(i).stopGradient();
                NDArray slope = a.gt(0).toType(DataType.FLOAT32, false).mul(1 - leak).add(leak);  // 1 or leak, a constant
                g = g.mul(slope);
                g = convs.get(i).inputGradient(g, (int) inSizes.get(i)[0], (int) inSizes.get(i)[1]);
            }
            return g;                                                                   // [B, C, S, S]
        }

        @Override
        public List<Param> params() {
            List<Param> all = new ArrayList<>();
            for (int i = 0; i < convs.size(); i++) {
                all.addAll(convs.get(i).params());
                if (i > 0 && !norms.isEmpty()) {
                    all.addAll(norms.get(i - 1).params());
                }
            }
            all.addAll(out.params());
            if (embed != null) {
                all.add(embed);
            }
            return all;
        }

        @Override
        public List<NDArray> buffers() {
            return Module.buffersOf(norms);
        }
    }
}
