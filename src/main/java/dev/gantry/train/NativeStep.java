package dev.gantry.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.models.PaperDiscriminator;
import dev.gantry.models.PaperGenerator;
import dev.gantry.nn.BatchNorm;
import dev.gantry.nn.Dense;
import dev.gantry.nn.Kernels;
import dev.gantry.nn.Maxout;
import dev.gantry.optim.Adam;
import dev.gantry.optim.Optimizer;
import dev.gantry.optim.SgdMomentum;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A training step of the paper-mlp networks through Gantry's native kernels ({@code train.backward =
 * native}): the passes of the hand-written backward ({@link PaperGenerator#trace}, {@link
 * PaperDiscriminator#trace}), each layer's elementwise work fused into one loop of {@link Kernels},
 * the matrix products through the engine's own BLAS into buffers allocated once. SGD's momentum is
 * folded into the weight-gradient products (v ← μ·v − lr·gᵀx is one sgemm with β = μ, α = −lr; then
 * θ ← θ + v), so those gradients are never stored, except on a statistics step, where they are
 * computed once more for their norms (the trajectory does not depend on how often statistics are
 * read). Adam takes each weight gradient from one product, then updates in one loop.
 *
 * <p>The trainer calls these passes in the order of either schedule: the authors' simultaneous
 * update, or Algorithm 1 ({@link #discriminatorForwardFake} for G's step). The dropout draws are
 * the hand step's, from the engine, in the same order (the noise, then the real batch's draws,
 * then the fake batch's), or with {@code train.dropout_draws = native} from {@link Kernels#uniform}
 * under one key a step drawn from the engine. The gradient at the logits comes from the loss
 * family's own expressions ({@code GanTrainer.logitGradients}), so every loss without a gradient
 * penalty works unchanged. What differs from the hand step with the same draws is the order of
 * some floating-point sums (bias gradients and batch statistics as column sums in one loop, the
 * logit layer as a dot product, the momentum applied inside the product) and the sigmoid's exp
 * (a polynomial); NativeStepTest bounds the difference.
 *
 * <p>For: an unconditional {@link PaperGenerator}, with or without batch norm, an unconditional
 * {@link PaperDiscriminator} without spectral norm, SGD with momentum or Adam (Q, when trained,
 * learns from the step's samples, as in the hand step).
 */
final class NativeStep {

    private final PaperGenerator g;
    private final PaperDiscriminator d;
    private final Optimizer optG;
    private final Optimizer optD;
    private final int b;

    // G: widths[0] = noise, widths[1..L] hidden, out = pixels.
    private final int[] widths;
    private final int out;
    private final List<Dense> gLayers;          // hidden, then the output layer
    private final ByteBuffer[] gAct;            // [B, widths[i]] for i = 1..L (index 0 unused: the noise tensor)
    private final ByteBuffer gOut;              // [B, out]: G's samples
    private final ByteBuffer[] gGrad;           // [B, widths[i]] for i = 1..L
    private final ByteBuffer gOutGrad;          // [B, out]
    private final ByteBuffer[] gBiasGrad;       // per layer of gLayers
    private final List<BatchNorm> norms;        // per hidden layer, or empty
    private final int stride;                   // G's parameters per hidden layer: 2, or 4 with batch norm
    private final ByteBuffer[] gHat;            // [B, widths[i]]: x̂ of the batch norm whose ReLU gives gAct[i]
    private final ByteBuffer[] gStd;            // [widths[i]]: its √(ε + var)
    private final ByteBuffer[] gGammaGrad;      // [widths[i]]
    private final ByteBuffer[] gBetaGrad;       // [widths[i]]

    // D: M maxout layers of units × pieces, then one logit.
    private final List<Maxout> dLayers;
    private final Dense dOut;
    private final int units;
    private final int pieces;
    private final float keepIn;
    private final float keepHidden;
    private final ByteBuffer[] dIn;             // [2B, in_i]: layer i's input after dropout (i = 0..M-1)
    private final ByteBuffer dTop;              // [2B, units]: the logit layer's input after dropout
    private final ByteBuffer[] dPre;            // [2B, units·pieces]: pre-activations, then their gradients
    private final ByteBuffer[] dIdx;            // [2B, units] bytes: winning pieces
    private final ByteBuffer logits;            // [2B]
    private final ByteBuffer logitGrad;         // [2B]: D's loss at the real, then the fake logits
    private final ByteBuffer logitGradG;        // [B]: G's loss at the fake logits
    private final ByteBuffer dHidGrad;          // [2B, units]
    private final ByteBuffer dPreGradG;         // [B, units·pieces]: the path to G's samples
    private final ByteBuffer dHidGradG;         // [B, units]
    private final ByteBuffer[] dBiasGrad;       // [units·pieces] per maxout layer
    private final ByteBuffer dOutWeightGrad;    // [units]
    private final ByteBuffer dOutBiasGrad;      // [1]
    private final ByteBuffer scratch;           // the largest weight: a weight gradient (Adam, or a statistics step's norm)

    // This step's noise (an engine array) and dropout draws (0 where keep = 1): engine arrays, or
    // slices of one buffer filled by the native generator.
    private long noise;
    private final long[] uReal;
    private final long[] uFake;
    private final boolean nativeDraws;
    private final ByteBuffer draws;             // every dropout draw of a step, when nativeDraws

    NativeStep(PaperGenerator g, PaperDiscriminator d, Optimizer optG, Optimizer optD, int batch, boolean nativeDraws) {
        this.nativeDraws = nativeDraws;
        this.g = g;
        this.d = d;
        this.optG = optG;
        this.optD = optD;
        this.b = batch;
        List<Dense> hidden = g.hiddenLayers();
        gLayers = new ArrayList<>(hidden);
        gLayers.add(g.outputLayer());
        widths = new int[hidden.size() + 1];
        widths[0] = hidden.isEmpty() ? g.outputLayer().in() : hidden.get(0).in();
        for (int i = 0; i < hidden.size(); i++) {
            widths[i + 1] = hidden.get(i).out();
        }
        out = g.outputLayer().out();
        gAct = new ByteBuffer[widths.length];
        gGrad = new ByteBuffer[widths.length];
        for (int i = 1; i < widths.length; i++) {
            gAct[i] = Kernels.floats((long) b * widths[i]);
            gGrad[i] = Kernels.floats((long) b * widths[i]);
        }
        norms = g.batchNorms();
        stride = norms.isEmpty() ? 2 : 4;
        gHat = new ByteBuffer[widths.length];
        gStd = new ByteBuffer[widths.length];
        gGammaGrad = new ByteBuffer[widths.length];
        gBetaGrad = new ByteBuffer[widths.length];
        for (int i = 1; i < widths.length && !norms.isEmpty(); i++) {
            gHat[i] = Kernels.floats((long) b * widths[i]);
            gStd[i] = Kernels.floats(widths[i]);
            gGammaGrad[i] = Kernels.floats(widths[i]);
            gBetaGrad[i] = Kernels.floats(widths[i]);
        }
        gOut = Kernels.floats((long) b * out);
        gOutGrad = Kernels.floats((long) b * out);
        gBiasGrad = new ByteBuffer[gLayers.size()];
        long largest = 0;
        for (int i = 0; i < gLayers.size(); i++) {
            gBiasGrad[i] = Kernels.floats(gLayers.get(i).out());
            largest = Math.max(largest, (long) gLayers.get(i).in() * gLayers.get(i).out());
        }

        dLayers = d.maxoutLayers();
        dOut = d.outputLayer();
        units = dLayers.get(0).units();
        pieces = dLayers.get(0).pieces();
        keepIn = (float) d.keepInput();
        keepHidden = (float) d.keepHidden();
        int m = dLayers.size();
        dIn = new ByteBuffer[m];
        dPre = new ByteBuffer[m];
        dIdx = new ByteBuffer[m];
        dBiasGrad = new ByteBuffer[m];
        for (int i = 0; i < m; i++) {
            Dense affine = dLayers.get(i).affine();
            dIn[i] = Kernels.floats(2L * b * affine.in());
            dPre[i] = Kernels.floats(2L * b * affine.out());
            dIdx[i] = Kernels.bytes(2L * b * units);
            dBiasGrad[i] = Kernels.floats(affine.out());
            largest = Math.max(largest, (long) affine.in() * affine.out());
        }
        dTop = Kernels.floats(2L * b * units);
        logits = Kernels.floats(2L * b);
        logitGrad = Kernels.floats(2L * b);
        logitGradG = Kernels.floats(b);
        dHidGrad = Kernels.floats(2L * b * units);
        dPreGradG = Kernels.floats((long) b * units * pieces);
        dHidGradG = Kernels.floats((long) b * units);
        dOutWeightGrad = Kernels.floats(units);
        dOutBiasGrad = Kernels.floats(1);
        scratch = Kernels.floats(largest);
        uReal = new long[m + 1];
        uFake = new long[m + 1];
        draws = nativeDraws ? Kernels.floats(2 * drawsPerBatch()) : null;
    }

    /** Dropout draws of one batch of B rows: D's input, then each maxout layer's output (none where keep = 1). */
    private long drawsPerBatch() {
        long n = d.keepInput() < 1.0 ? (long) b * d.inputShape().dim() : 0;
        return n + (d.keepHidden() < 1.0 ? (long) b * units * dLayers.size() : 0);
    }

    /**
     * Whether these networks and optimizers can take the native step: the kernels loaded, D's maxout
     * layers all of one size, each optimizer SGD with momentum or Adam.
     */
    static boolean supports(PaperGenerator g, PaperDiscriminator d, Object optG, Object optD) {
        if (!Kernels.available() || !knownRule(optG) || !knownRule(optD)) {
            return false;
        }
        List<Maxout> layers = d.maxoutLayers();
        if (layers.isEmpty() || d.outputLayer().out() != 1) {
            return false;
        }
        int u = layers.get(0).units();
        int p = layers.get(0).pieces();
        return p <= 255 && layers.stream().allMatch(l -> l.units() == u && l.pieces() == p);
    }

    private static boolean knownRule(Object opt) {
        return opt instanceof SgdMomentum || opt instanceof Adam;
    }

    private static long a(ByteBuffer buffer) {
        return Kernels.address(buffer);
    }

    private static long a(NDArray array) {
        return Kernels.address(array);
    }

    /** G's forward pass on the noise z [B, noise], into its sample buffer. */
    void generatorForward(NDArray z) {
        noise = a(z);
        long in = noise;
        for (int i = 0; i < gLayers.size(); i++) {
            Dense layer = gLayers.get(i);
            boolean last = i == gLayers.size() - 1;
            long dst = last ? a(gOut) : a(gAct[i + 1]);
            Kernels.gemm(false, true, b, layer.out(), layer.in(), 1f, in, layer.in(), a(layer.weight().array()), layer.in(),
                    0f, dst, layer.out());
            long bias = a(layer.bias().array());
            if (!last && !norms.isEmpty()) {
                BatchNorm bn = norms.get(i);
                Kernels.batchNormRelu(dst, bias, a(bn.gamma().array()), a(bn.beta().array()), a(bn.runningMean()), a(bn.runningVar()),
                        b, layer.out(), BatchNorm.MOMENTUM, BatchNorm.EPS, a(gHat[i + 1]), a(gStd[i + 1]));
            } else if (!last) {
                Kernels.biasRelu(dst, bias, b, layer.out());
            } else if (g.sigmoidOutput()) {
                Kernels.biasSigmoid(dst, bias, b, layer.out());
            } else {
                Kernels.biasAdd(dst, bias, b, layer.out());
            }
            in = dst;
        }
    }

    /** G's samples of this step (before G's update) as an engine array of {@code shape} (B images). */
    NDArray samples(NDManager sm, Shape shape) {
        float[] v = new float[b * out];
        gOut.asFloatBuffer().get(v);
        return sm.create(v, shape);
    }

    /**
     * The dropout draws of the real batch and then the fake batch. From the engine's generator, the
     * calls of {@code PaperDiscriminator.sampleMasks} (the hand step's stream); or, with native draws,
     * from {@link Kernels#uniform} under one key drawn from the engine's generator (so a seed, and
     * the engine state a checkpoint restores, decide them all the same), in the same layout.
     */
    void drawMasks(NDManager sm) {
        drawMasks(sm, new long[][] {uReal, uFake});
    }

    /** The dropout draws of the fake batch alone (G's step of Algorithm 1), as {@link #drawMasks}. */
    void drawFakeMasks(NDManager sm) {
        drawMasks(sm, new long[][] {uFake});
    }

    private void drawMasks(NDManager sm, long[][] sets) {
        if (nativeDraws) {
            long key = sm.randomInteger(0, Long.MAX_VALUE, new Shape(1), ai.djl.ndarray.types.DataType.INT64).toLongArray()[0];
            long n = sets.length * drawsPerBatch();
            if (n > 0) {
                Kernels.uniform(a(draws), n, key);
            }
            long at = a(draws);
            for (long[] u : sets) {
                u[0] = d.keepInput() < 1.0 ? at : 0;
                at += d.keepInput() < 1.0 ? 4L * b * d.inputShape().dim() : 0;
                for (int i = 0; i < dLayers.size(); i++) {
                    u[i + 1] = d.keepHidden() < 1.0 ? at : 0;
                    at += d.keepHidden() < 1.0 ? 4L * b * units : 0;
                }
            }
            return;
        }
        for (long[] u : sets) {
            u[0] = draw(sm, d.inputShape().dim(), d.keepInput());
            for (int i = 0; i < dLayers.size(); i++) {
                u[i + 1] = draw(sm, dLayers.get(i).units(), d.keepHidden());
            }
        }
    }

    private long draw(NDManager sm, int width, double keep) {
        return keep >= 1.0 ? 0 : a(sm.randomUniform(0f, 1f, new Shape(b, width)));
    }

    /** D's pass over the real batch x [B, …] and G's samples, 2B rows; returns the 2B logits. */
    float[] discriminatorForward(NDArray x) {
        int in0 = dLayers.get(0).affine().in();
        long rowBytes = 4L * b * in0;
        Kernels.dropout(a(dIn[0]), a(x), uReal[0], keepIn, b * in0);
        Kernels.dropout(a(dIn[0]) + rowBytes, a(gOut), uFake[0], keepIn, b * in0);
        for (int i = 0; i < dLayers.size(); i++) {
            Dense affine = dLayers.get(i).affine();
            Kernels.gemm(false, true, 2 * b, affine.out(), affine.in(), 1f, a(dIn[i]), affine.in(), a(affine.weight().array()),
                    affine.in(), 0f, a(dPre[i]), affine.out());
            long dst = i + 1 < dLayers.size() ? a(dIn[i + 1]) : a(dTop);
            long half = 4L * b * units;
            long pre = a(dPre[i]);
            long bias = a(affine.bias().array());
            Kernels.maxout(pre, bias, b, units, pieces, dst, a(dIdx[i]), uReal[i + 1], keepHidden);
            Kernels.maxout(pre + 4L * b * affine.out(), bias, b, units, pieces, dst + half, a(dIdx[i]) + (long) b * units,
                    uFake[i + 1], keepHidden);
        }
        Kernels.dot(a(dTop), a(dOut.weight().array()), a(dOut.bias().array()), 2 * b, units, a(logits));
        float[] values = new float[2 * b];
        logits.asFloatBuffer().get(values);
        return values;
    }

    /**
     * D's pass over G's samples alone (G's step of Algorithm 1), into the fake halves of the buffers
     * that {@link #inputGradient} reads; returns the B logits.
     */
    float[] discriminatorForwardFake() {
        int in0 = dLayers.get(0).affine().in();
        long half = 4L * b * units;
        Kernels.dropout(a(dIn[0]) + 4L * b * in0, a(gOut), uFake[0], keepIn, b * in0);
        for (int i = 0; i < dLayers.size(); i++) {
            Dense affine = dLayers.get(i).affine();
            long pre = a(dPre[i]) + 4L * b * affine.out();
            Kernels.gemm(false, true, b, affine.out(), affine.in(), 1f, a(dIn[i]) + 4L * b * affine.in(), affine.in(),
                    a(affine.weight().array()), affine.in(), 0f, pre, affine.out());
            long dst = (i + 1 < dLayers.size() ? a(dIn[i + 1]) : a(dTop)) + half;
            Kernels.maxout(pre, a(affine.bias().array()), b, units, pieces, dst, a(dIdx[i]) + (long) b * units, uFake[i + 1], keepHidden);
        }
        Kernels.dot(a(dTop) + half, a(dOut.weight().array()), a(dOut.bias().array()), b, units, a(logits) + 4L * b);
        float[] values = new float[b];
        logits.asFloatBuffer().position(b).get(values);
        return values;
    }

    /** Back-propagates D's loss (its gradient at the real, then the fake logits) to D's parameters. */
    void discriminatorBackward(float[] gReal, float[] gFake) {
        logitGrad.asFloatBuffer().put(gReal).put(gFake);
        long half = 4L * b * units;
        Kernels.dotBackward(a(logitGrad), a(dOut.weight().array()), 0, 1f, 2 * b, units, a(dHidGrad), a(dTop),
                a(dOutWeightGrad), a(dOutBiasGrad));
        int m = dLayers.size();
        Kernels.dropoutInPlace(a(dHidGrad), uReal[m], keepHidden, b * units);
        Kernels.dropoutInPlace(a(dHidGrad) + half, uFake[m], keepHidden, b * units);
        for (int i = m - 1; i >= 0; i--) {
            Dense affine = dLayers.get(i).affine();
            Kernels.maxoutBackward(a(dHidGrad), a(dIdx[i]), 2 * b, units, pieces, a(dPre[i]), a(dBiasGrad[i]));
            if (i == 0) {
                break;                                                      // D's own step needs no input gradient
            }
            Kernels.gemm(false, false, 2 * b, affine.in(), affine.out(), 1f, a(dPre[i]), affine.out(), a(affine.weight().array()),
                    affine.in(), 0f, a(dHidGrad), affine.in());
            Kernels.dropoutInPlace(a(dHidGrad), uReal[i], keepHidden, b * affine.in());
            Kernels.dropoutInPlace(a(dHidGrad) + half, uFake[i], keepHidden, b * affine.in());
        }
    }

    /**
     * G's loss at the fake logits [B] back through D (its parameters held fixed, its dropout the fake
     * rows') to G's samples, into G's output gradient buffer. Must run before D's update.
     */
    void inputGradient(float[] gGenerator) {
        logitGradG.asFloatBuffer().put(gGenerator);
        int m = dLayers.size();
        long fakeUnits = (long) b * units;
        Kernels.dotBackward(a(logitGradG), a(dOut.weight().array()), uFake[m], keepHidden, b, units, a(dHidGradG), 0, 0, 0);
        for (int i = m - 1; i >= 0; i--) {
            Dense affine = dLayers.get(i).affine();
            Kernels.maxoutBackward(a(dHidGradG), a(dIdx[i]) + fakeUnits, b, units, pieces, a(dPreGradG), 0);
            long dst = i == 0 ? a(gOutGrad) : a(dHidGradG);
            Kernels.gemm(false, false, b, affine.in(), affine.out(), 1f, a(dPreGradG), affine.out(), a(affine.weight().array()),
                    affine.in(), 0f, dst, affine.in());
            if (i > 0) {
                Kernels.dropoutInPlace(dst, uFake[i], keepHidden, b * affine.in());
            }
        }
    }

    /**
     * D's SGD update from the gradients of {@link #discriminatorBackward}; returns their L2 norm when
     * {@code norm} (computed beside the update, which is the same either way), else NaN.
     */
    double updateDiscriminator(int epoch, boolean norm) {
        Rule r = new Rule(optD, epoch);
        double sum = 0;
        int p = 0;
        for (int i = 0; i < dLayers.size(); i++) {
            Dense affine = dLayers.get(i).affine();
            sum += updateWeight(r, p, affine, a(dPre[i]), a(dIn[i]), 2 * b, norm);
            sum += updateVector(r, p + 1, a(affine.bias().array()), a(dBiasGrad[i]), affine.out(), norm);
            p += 2;
        }
        sum += updateVector(r, p, a(dOut.weight().array()), a(dOutWeightGrad), units, norm);
        sum += updateVector(r, p + 1, a(dOut.bias().array()), a(dOutBiasGrad), 1, norm);
        optD.countUpdate();
        return norm ? Math.sqrt(sum) : Double.NaN;
    }

    /**
     * Back-propagates G's output gradient (from {@link #inputGradient}) through G and updates each
     * layer as soon as its input gradient is taken; returns the L2 norm of G's gradients when
     * {@code norm}, else NaN.
     */
    double generatorBackwardAndUpdate(int epoch, boolean norm) {
        Rule r = new Rule(optG, epoch);
        double sum = 0;
        int last = gLayers.size() - 1;
        Kernels.outputBackward(a(gOutGrad), uFake[0], keepIn, a(gOut), g.sigmoidOutput(), b, out, a(gBiasGrad[last]));
        long grad = a(gOutGrad);
        for (int i = last; i >= 0; i--) {
            Dense layer = gLayers.get(i);
            long input = i == 0 ? noise : a(gAct[i]);
            long below = 0;
            if (i > 0) {
                below = a(gGrad[i]);                                            // [B, widths[i]]: the layer's input gradient
                Kernels.gemm(false, false, b, layer.in(), layer.out(), 1f, grad, layer.out(), a(layer.weight().array()),
                        layer.in(), 0f, below, layer.in());
            }
            int p = stride * i;                                                 // the output layer's too: stride × hidden layers
            sum += updateWeight(r, p, layer, grad, input, b, norm);
            sum += updateVector(r, p + 1, a(layer.bias().array()), a(gBiasGrad[i]), layer.out(), norm);
            if (i < last && !norms.isEmpty()) {
                BatchNorm bn = norms.get(i);
                sum += updateVector(r, p + 2, a(bn.gamma().array()), a(gGammaGrad[i + 1]), layer.out(), norm);
                sum += updateVector(r, p + 3, a(bn.beta().array()), a(gBetaGrad[i + 1]), layer.out(), norm);
            }
            if (i > 0 && !norms.isEmpty()) {
                // Layer i-1's batch norm and ReLU, before γ is updated (that happens at layer i-1, next).
                Kernels.batchNormReluBackward(below, a(gAct[i]), a(gHat[i]), a(gStd[i]), a(norms.get(i - 1).gamma().array()), b,
                        layer.in(), a(gGammaGrad[i]), a(gBetaGrad[i]), a(gBiasGrad[i - 1]));
                grad = below;
            } else if (i > 0) {
                Kernels.reluBackward(below, a(gAct[i]), b, layer.in(), a(gBiasGrad[i - 1]));
                grad = below;
            }
        }
        optG.countUpdate();
        return norm ? Math.sqrt(sum) : Double.NaN;
    }

    /** One network's update rule for this step: SGD's momentum and rate, or Adam's constants. */
    private static final class Rule {
        final SgdMomentum sgd;
        final float mu;
        final float lr;
        final Adam adam;
        final Adam.Constants k;

        Rule(Optimizer opt, int epoch) {
            sgd = opt instanceof SgdMomentum s ? s : null;
            adam = opt instanceof Adam x ? x : null;
            mu = sgd != null ? (float) sgd.momentum(epoch) : 0f;
            lr = sgd != null ? (float) sgd.learningRate() : 0f;
            k = adam != null ? adam.constants() : null;
        }

        void apply(int index, long param, long grad, int n) {
            if (sgd != null) {
                Kernels.sgd(param, a(sgd.velocity(index)), grad, mu, lr, n);
            } else {
                Kernels.adam(param, a(adam.firstMoment(index)), a(adam.secondMoment(index)), grad, n, k.b1(), k.c1(), k.b2(), k.c2(),
                        k.root2(), k.eps(), k.scale());
            }
        }
    }

    /**
     * The update of a layer's weight from its output gradient {@code gOut} [rows, out] and input
     * {@code x} [rows, in]: for SGD, v ← μ·v − lr·gᵀx (one product) and W ← W + v; for Adam, gᵀx into
     * scratch, then Adam. Returns the squared norm of gᵀx when {@code norm}.
     */
    private double updateWeight(Rule r, int index, Dense layer, long gOut, long x, int rows, boolean norm) {
        int o = layer.out();
        int in = layer.in();
        double sq = 0;
        if (norm || r.sgd == null) {
            Kernels.gemm(true, false, o, in, rows, 1f, gOut, o, x, in, 0f, a(scratch), in);
            sq = norm ? Kernels.sumOfSquares(a(scratch), o * in) : 0;
        }
        if (r.sgd == null) {
            r.apply(index, a(layer.weight().array()), a(scratch), o * in);
            return sq;
        }
        long v = a(r.sgd.velocity(index));
        Kernels.gemm(true, false, o, in, rows, -r.lr, gOut, o, x, in, r.mu, v, in);
        Kernels.addTo(a(layer.weight().array()), v, o * in);
        return sq;
    }

    private static double updateVector(Rule r, int index, long param, long grad, int n, boolean norm) {
        double sq = norm ? Kernels.sumOfSquares(grad, n) : 0;
        r.apply(index, param, grad, n);
        return sq;
    }
}
