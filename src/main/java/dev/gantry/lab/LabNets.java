package dev.gantry.lab;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gantry.config.RunConfig;
import dev.gantry.losses.GanLoss;
import dev.gantry.nn.Param;
import dev.gantry.optim.Adam;
import dev.gantry.optim.Optimizer;
import dev.gantry.optim.SgdMomentum;
import java.util.List;

/** The few training steps the lab's experiments share, on top of Gantry's losses and optimizers. */
final class LabNets {

    /** D's loss of Goodfellow et al. (2014), −log D(x) − log(1 − D(G(z))), without the authors' ½. */
    static final GanLoss STANDARD = new GanLoss(GanLoss.GeneratorObjective.NON_SATURATING, 1.0);
    static final GanLoss MINIMAX = new GanLoss(GanLoss.GeneratorObjective.MINIMAX, 1.0);

    private LabNets() {}

    /** Adam with β2 = 0.999, ε = 1e-8 (torch's defaults). */
    static Optimizer adam(NDManager manager, List<Param> params, double lr, double beta1) {
        return new Adam(manager, params, new RunConfig.OptimConfig("adam", lr, 1, 0, 0, 0, 0, 1, beta1, 0.999, 1e-8, 0));
    }

    /** SGD with a constant momentum, the paper's optimizer without its schedules. */
    static Optimizer sgd(NDManager manager, List<Param> params, double lr, double momentum) {
        return new SgdMomentum(manager, params,
                new RunConfig.OptimConfig("sgd", lr, 1, 0, momentum, momentum, 0, 1, 0, 0, 0, 0));
    }

    /** Row-major points {@code [n, dim]} as an array. */
    static NDArray rows(NDManager manager, float[] xs, int dim) {
        return manager.create(xs, new Shape(xs.length / dim, dim));
    }

    /**
     * One step of D on the standard loss, real batch against fake batch (both {@code [B, dim]},
     * row-major), then the optimizer's update (which zeroes the gradients).
     */
    static void discriminatorStep(NDManager manager, Mlp d, Optimizer opt, float[] real, float[] fake) {
        try (NDManager sm = manager.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray lr = d.forward(rows(sm, real, d.in()), false);   // [B]
                NDArray lf = d.forward(rows(sm, fake, d.in()), false);   // [B]
                gc.backward(STANDARD.discriminator(lr, lf));
            }
        }
        opt.step(0);
    }

    /** One step of G on {@code loss}'s generator objective through D, D's parameters frozen. */
    static void generatorStep(NDManager manager, ScalarNet g, Mlp d, Optimizer optG, GanLoss loss, float[] z) {
        try (NDManager sm = manager.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray fake = g.forward(rows(sm, z, 1), false).reshape(-1, 1);   // [B, 1]
                NDArray logits = d.forward(fake, true);                           // [B]
                gc.backward(loss.generator(logits));
            }
        }
        optG.step(0);
    }

    /** Per-point gradients of D's logit and of G's two losses with respect to the input. */
    record InputGradients(double[] logit, double[][] dLogit, double[][] minimax, double[][] nonSaturating) {}

    /**
     * At every point of {@code xs} ({@code [n, dim]}, row-major): the logit l, ∂l/∂x, and the
     * gradients that reach G's sample x from one sample's loss, by autograd through D with D's
     * parameters frozen: ∂ log(1 − σ(l))/∂x (minimax) and ∂(−log σ(l))/∂x (non-saturating).
     */
    static InputGradients inputGradients(NDManager manager, Mlp d, float[] xs) {
        int dim = d.in();
        int n = xs.length / dim;
        double[] logit = new double[n];
        double[][] dl = gradient(manager, d, xs, null, logit);
        double[][] mm = gradient(manager, d, xs, GanLoss.GeneratorObjective.MINIMAX, null);
        double[][] ns = gradient(manager, d, xs, GanLoss.GeneratorObjective.NON_SATURATING, null);
        return new InputGradients(logit, dl, mm, ns);
    }

    /** ∂/∂x of Σᵢ lossᵢ (the logit itself when {@code objective} is null): row i is sample i's own gradient. */
    private static double[][] gradient(NDManager manager, Mlp d, float[] xs, GanLoss.GeneratorObjective objective,
            double[] logitOut) {
        int dim = d.in();
        int n = xs.length / dim;
        try (NDManager sm = manager.newSubManager()) {
            NDArray x = rows(sm, xs, dim);                                       // [n, dim]
            x.setRequiresGradient(true);
            float[] l;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = d.forward(x, true);                             // [n]
                NDArray loss = objective == null ? logits.sum()
                        : objective == GanLoss.GeneratorObjective.MINIMAX
                                ? logits.getNDArrayInternal().softPlus().neg().sum()       // Σ log(1 − σ(l))
                                : logits.neg().getNDArrayInternal().softPlus().sum();      // Σ −log σ(l)
                gc.backward(loss);
                l = logits.toFloatArray();
            }
            float[] g = x.getGradient().toFloatArray();
            double[][] out = new double[n][dim];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < dim; j++) {
                    out[i][j] = g[i * dim + j];
                }
                if (logitOut != null) {
                    logitOut[i] = l[i];
                }
            }
            return out;
        }
    }

    /** The running mean of parameter snapshots: {@code mean} holds the mean of the first {@code count}. */
    static float[][] accumulate(float[][] mean, float[][] snapshot, int count) {
        if (mean == null) {
            return snapshot;
        }
        float w = 1f / (count + 1);
        for (int i = 0; i < mean.length; i++) {
            for (int j = 0; j < mean[i].length; j++) {
                mean[i][j] += (snapshot[i][j] - mean[i][j]) * w;
            }
        }
        return mean;
    }

    /** Derives the seed of one batch: (seed, purpose, counter) → an independent stream. */
    static long seed(long seed, long purpose, long counter) {
        return dev.gantry.util.Seeds.derive(seed, 100 + purpose, counter);
    }
}
