package dev.gantry.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.Dense;
import dev.gantry.nn.DropoutMask;
import dev.gantry.nn.Maxout;
import dev.gantry.nn.Module;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cgan-mlp}: the conditional MNIST networks of Mirza &amp; Osindero (2014, §4.1;
 * protocols.md §8), where the label has its own branch in both networks.
 *
 * <p>G: z → {@value #G_Z} ReLU and the one-hot y → {@value #G_Y} ReLU, joined → {@value #G_JOINT}
 * ReLU → sigmoid pixels (bias at the training pixels' logits, as paper-mnist), with inverted
 * dropout (keep 0.5) on the three hidden layers in training passes and none when sampling.
 * D: the (dropped-out) pixels → maxout {@code model.d_units} × {@code model.d_pieces} and y →
 * maxout {@value #D_Y_UNITS} × {@code model.d_pieces}, joined → maxout {@code model.d_units} ×
 * {@value #D_JOINT_PIECES} → a logit, with dropout on the inputs of the joint and output layers.
 * Weights U(−r, r) with paper-mnist's ranges ({@code model.g_init_range}, {@code model.d_init_range}).
 * They give no initialisation and do not say which of D's layers drop out: these are paper-mnist's
 * choices. Conditional only ({@code model.conditional = true}).
 */
final class MirzaMlp implements Architecture {

    static final int G_Z = 200;
    static final int G_Y = 1000;
    static final int G_JOINT = 1200;
    static final double G_KEEP = 0.5;
    static final int D_Y_UNITS = 50;
    static final int D_JOINT_PIECES = 4;
    /** The classes the label branches are sized for when counting tensors (every labelled dataset here has 10). */
    static final int COUNTED_CLASSES = 10;

    @Override
    public void check(RunConfig.ModelConfig m, ImageShape data) {
        Models.checkImageSize(m, data);
        if (!m.conditional()) {
            throw new BadInputException("model cgan-mlp is Mirza & Osindero's conditional GAN: it needs model.conditional = true");
        }
    }

    @Override
    public Generator generator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, PixelMeans means, int classes) {
        return new G(manager, m, data, means, classes);
    }

    @Override
    public Discriminator discriminator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, int classes) {
        return new D(manager, m, data, classes);
    }

    @Override
    public List<TensorSize> tensorSizes(RunConfig.ModelConfig m, ImageShape data) {
        List<TensorSize> t = new ArrayList<>();
        long dim = data.dim();
        String pixels = "C·H·W (" + dim + ")";
        dense(t, "g.z", G_Z, m.noiseDim(), G_Z + " × model.noise_dim");
        dense(t, "g.y", G_Y, COUNTED_CLASSES, G_Y + " × classes");
        dense(t, "g.joint", G_JOINT, G_Z + G_Y, G_JOINT + " × " + (G_Z + G_Y));
        dense(t, "g.out", dim, G_JOINT, pixels + " × " + G_JOINT);
        long pieces = TensorSize.times(m.dUnits(), m.dPieces());
        dense(t, "d.x", pieces, dim, "model.d_units × model.d_pieces × " + pixels);
        dense(t, "d.y", TensorSize.times(D_Y_UNITS, m.dPieces()), COUNTED_CLASSES, D_Y_UNITS + " × model.d_pieces × classes");
        dense(t, "d.joint", TensorSize.times(m.dUnits(), D_JOINT_PIECES), TensorSize.plus(m.dUnits(), D_Y_UNITS),
                "model.d_units × " + D_JOINT_PIECES + " × (model.d_units + " + D_Y_UNITS + ")");
        dense(t, "d.out", 1, m.dUnits(), "model.d_units");
        return t;
    }

    private static void dense(List<TensorSize> t, String name, long out, long in, String keys) {
        t.add(new TensorSize(name + ".weight", TensorSize.times(out, in), 1, true, keys, ""));
        t.add(new TensorSize(name + ".bias", out, 1, true, String.valueOf(out), ""));
    }

    static final class G implements Generator {
        private final ImageShape shape;
        private final int noiseDim;
        private final int classes;
        private final boolean normalNoise;
        private final Dense fromZ;
        private final Dense fromY;
        private final Dense joint;
        private final Dense out;

        G(NDManager manager, RunConfig.ModelConfig m, ImageShape shape, PixelMeans means, int classes) {
            if (classes <= 0) {
                throw new BadInputException("model cgan-mlp needs labelled data and model.conditional = true");
            }
            this.shape = shape;
            this.noiseDim = m.noiseDim();
            this.classes = classes;
            this.normalNoise = "normal".equals(m.noise());
            double r = m.gInitRange();
            this.fromZ = new Dense(manager, "g.z", noiseDim, G_Z, r);
            this.fromY = new Dense(manager, "g.y", classes, G_Y, r);
            this.joint = new Dense(manager, "g.joint", G_Z + G_Y, G_JOINT, r);
            this.out = new Dense(manager, "g.out", G_JOINT, shape.dim(), r);
            double[] logits = PaperGenerator.logits(means.perPixel());
            float[] b = new float[logits.length];
            for (int j = 0; j < b.length; j++) b[j] = (float) logits[j];
            out.bias().array().set(b);
        }

        @Override
        public int noiseDim() {
            return noiseDim;
        }

        @Override
        public int classes() {
            return classes;
        }

        @Override
        public ImageShape outputShape() {
            return shape;
        }

        @Override
        public NDArray sampleNoise(NDManager manager, int n) {
            return PaperGenerator.noise(manager, n, noiseDim, normalNoise);
        }

        private static NDArray dropped(NDArray h, boolean training) {
            return training ? DropoutMask.apply(h, DropoutMask.sample(h.getManager(), h.getShape(), G_KEEP)) : h;
        }

        @Override
        public NDArray forward(NDArray z, NDArray y, boolean frozen, boolean training) {
            Conditioning.check(y, classes, "G");
            NDArray hz = dropped(fromZ.forward(z, frozen).getNDArrayInternal().relu(), training);       // [B, 200]
            NDArray hy = dropped(fromY.forward(y, frozen).getNDArrayInternal().relu(), training);       // [B, 1000]
            NDArray h = dropped(joint.forward(hz.concat(hy, 1), frozen).getNDArrayInternal().relu(), training);  // [B, 1200]
            NDArray x = out.forward(h, frozen).getNDArrayInternal().sigmoid();                          // [B, C·H·W]
            return x.reshape(new Shape(x.getShape().get(0), shape.channels(), shape.height(), shape.width()));
        }

        @Override
        public List<Param> params() {
            return Module.paramsOf(List.of(fromZ, fromY, joint, out));
        }
    }

    static final class D implements Discriminator {
        private final ImageShape shape;
        private final int classes;
        private final double keepInput;
        private final double keepHidden;
        private final Maxout fromX;
        private final Maxout fromY;
        private final Maxout joint;
        private final Dense out;

        D(NDManager manager, RunConfig.ModelConfig m, ImageShape shape, int classes) {
            if (classes <= 0) {
                throw new BadInputException("model cgan-mlp needs labelled data and model.conditional = true");
            }
            this.shape = shape;
            this.classes = classes;
            this.keepInput = m.dKeepInput();
            this.keepHidden = m.dKeepHidden();
            double r = m.dInitRange();
            this.fromX = new Maxout(manager, "d.x", shape.dim(), m.dUnits(), m.dPieces(), r);
            this.fromY = new Maxout(manager, "d.y", classes, D_Y_UNITS, m.dPieces(), r);
            this.joint = new Maxout(manager, "d.joint", m.dUnits() + D_Y_UNITS, m.dUnits(), D_JOINT_PIECES, r);
            this.out = new Dense(manager, "d.out", m.dUnits(), 1, r);
        }

        @Override
        public ImageShape inputShape() {
            return shape;
        }

        @Override
        public int classes() {
            return classes;
        }

        /** Dropout masks: the pixels (keep {@code model.d_keep_input}), the joint layer's and the output layer's inputs ({@code model.d_keep_hidden}). */
        @Override
        public NDList sampleMasks(NDManager manager, int batch) {
            return new NDList(DropoutMask.sample(manager, new Shape(batch, shape.dim()), keepInput),
                    DropoutMask.sample(manager, new Shape(batch, fromX.units() + D_Y_UNITS), keepHidden),
                    DropoutMask.sample(manager, new Shape(batch, joint.units()), keepHidden));
        }

        @Override
        public NDArray logits(NDArray x, NDList masks, boolean frozen) {
            return logits(x, null, masks, frozen);
        }

        @Override
        public NDArray logits(NDArray x, NDArray y, NDList masks, boolean frozen) {
            Conditioning.check(y, classes, "D");
            NDArray px = DropoutMask.apply(x.reshape(x.getShape().get(0), -1), DropoutMask.of(masks, 0));        // [B, C·H·W]
            NDArray h = fromX.forward(px, frozen).concat(fromY.forward(y, frozen), 1);                 // [B, units + 50]
            h = joint.forward(DropoutMask.apply(h, DropoutMask.of(masks, 1)), frozen);                           // [B, units]
            return out.forward(DropoutMask.apply(h, DropoutMask.of(masks, 2)), frozen).reshape(-1);              // [B]
        }

        @Override
        public NDArray features(NDArray x) {
            throw new UnsupportedOperationException("a conditional D's features depend on the label it is asked about");
        }

        @Override
        public String inputGradientUnavailable() {
            return "model cgan-mlp has no hand-written input gradient";
        }

        @Override
        public List<Param> params() {
            return Module.paramsOf(List.of(fromX, fromY, joint, out));
        }
    }
}
