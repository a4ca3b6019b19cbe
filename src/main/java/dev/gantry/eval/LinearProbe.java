package dev.gantry.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * A linear classifier on fixed features, for asking what a representation knows about the
 * classes from few labels (the probe of Radford et al. 2016 and the few-label setting of Salimans
 * et al. 2016): multinomial logistic regression with an L2 penalty λ/2·‖W‖², on features
 * standardised with the mean and spread of an unlabelled set, fitted by full-batch Adam (lr 0.01,
 * {@value #ITERATIONS} iterations, from zero weights: deterministic). λ is chosen from {@link
 * #LAMBDAS} by {@value #FOLDS}-fold cross-validation on the labelled examples alone (fold f holds
 * the examples whose index within their class is f mod {@value #FOLDS}), then the classifier is
 * refitted on all of them. No test or validation label is looked at.
 */
public final class LinearProbe {

    public static final double[] LAMBDAS = {1e-3, 1e-2, 1e-1};
    public static final int FOLDS = 4;
    public static final int ITERATIONS = 200;

    /** A fitted probe: weights [F, K] and biases [K] over standardised features, and the λ chosen. */
    public record Fit(float[] weights, float[] bias, float[] mean, float[] scale, int features, int classes, double lambda,
                      double crossValidationError) {

        /** The fraction of {@code n} examples whose argmax class differs from their label. */
        public double error(NDManager manager, float[] x, int[] labels, int n) {
            try (NDManager sm = manager.newSubManager()) {
                NDArray logits = standardise(sm, x, n, this).matMul(sm.create(weights, new Shape(features, classes)))
                        .add(sm.create(bias, new Shape(classes)));
                long[] predicted = logits.argMax(1).toLongArray();
                int wrong = 0;
                for (int i = 0; i < n; i++) {
                    if (predicted[i] != labels[i]) wrong++;
                }
                return wrong / (double) n;
            }
        }
    }

    private LinearProbe() {}

    /**
     * Fits a probe on {@code n} labelled examples [n, f], standardised with the statistics of
     * {@code unlabelled} [m, f].
     */
    public static Fit fit(NDManager manager, float[] x, int[] labels, int n, int f, int k, float[] unlabelled, int m) {
        float[][] stats = standardisation(unlabelled, m, f);
        double bestError = Double.POSITIVE_INFINITY;
        double bestLambda = LAMBDAS[0];
        int[] rank = rankInClass(labels, n, k);
        for (double lambda : LAMBDAS) {
            int wrong = 0;
            for (int fold = 0; fold < FOLDS; fold++) {
                int ff = fold;
                int[] trainRows = java.util.stream.IntStream.range(0, n).filter(i -> rank[i] % FOLDS != ff).toArray();
                int[] heldRows = java.util.stream.IntStream.range(0, n).filter(i -> rank[i] % FOLDS == ff).toArray();
                Fit part = fitOnce(manager, rows(x, trainRows, f), pick(labels, trainRows), trainRows.length, f, k, lambda, stats);
                wrong += Math.round(part.error(manager, rows(x, heldRows, f), pick(labels, heldRows), heldRows.length) * heldRows.length);
            }
            double error = wrong / (double) n;
            if (error <= bestError) {   // ties go to the larger λ (the simpler classifier)
                bestError = error;
                bestLambda = lambda;
            }
        }
        Fit all = fitOnce(manager, x, labels, n, f, k, bestLambda, stats);
        return new Fit(all.weights(), all.bias(), all.mean(), all.scale(), f, k, bestLambda, bestError);
    }

    private static Fit fitOnce(NDManager manager, float[] x, int[] labels, int n, int f, int k, double lambda, float[][] stats) {
        Fit shell = new Fit(null, null, stats[0], stats[1], f, k, lambda, Double.NaN);
        try (NDManager sm = manager.newSubManager()) {
            NDArray xs = standardise(sm, x, n, shell);                                     // [n, f]
            float[] onehot = new float[n * k];
            for (int i = 0; i < n; i++) onehot[i * k + labels[i]] = 1f;
            NDArray y = sm.create(onehot, new Shape(n, k));
            NDArray w = sm.zeros(new Shape(f, k));
            NDArray b = sm.zeros(new Shape(k));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray[] params = {w, b};
            NDArray[] m1 = {sm.zeros(w.getShape()), sm.zeros(b.getShape())};
            NDArray[] m2 = {sm.zeros(w.getShape()), sm.zeros(b.getShape())};
            double lr = 0.01;
            for (int t = 1; t <= ITERATIONS; t++) {
                // Every temporary is closed at once: the loop would otherwise keep 200 iterations' arrays.
                try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                     NDArray xw = xs.matMul(w); NDArray logits = xw.add(b);                   // [n, k]
                     NDArray logp = logits.logSoftmax(1); NDArray picked = logp.mul(y); NDArray sum = picked.sum();
                     NDArray ce = sum.neg().div(n); NDArray w2 = w.square(); NDArray pen = w2.sum();
                     NDArray scaled = pen.mul((float) (lambda / 2)); NDArray loss = ce.add(scaled)) {
                    gc.backward(loss);
                }
                double c1 = 1 - Math.pow(0.9, t);
                double c2 = 1 - Math.pow(0.999, t);
                for (int p = 0; p < 2; p++) {
                    try (NDArray g = params[p].getGradient()) {
                        try (NDArray a = g.mul(0.1f)) {
                            m1[p].muli(0.9f).addi(a);
                        }
                        try (NDArray sq = g.square(); NDArray a = sq.mul(0.001f)) {
                            m2[p].muli(0.999f).addi(a);
                        }
                    }
                    try (NDArray mh = m1[p].div((float) c1); NDArray vh = m2[p].div((float) c2); NDArray sd = vh.sqrt();
                         NDArray den = sd.add(1e-8f); NDArray ratio = mh.div(den); NDArray step = ratio.mul((float) lr)) {
                        params[p].subi(step);
                    }
                    JniUtils.zeroGrad((PtNDArray) params[p]);   // the engine accumulates gradients
                }
            }
            return new Fit(w.toFloatArray(), b.toFloatArray(), stats[0], stats[1], f, k, lambda, Double.NaN);
        }
    }

    private static NDArray standardise(NDManager sm, float[] x, int n, Fit fit) {
        NDArray a = sm.create(x, new Shape(n, fit.features()));
        return a.sub(sm.create(fit.mean())).div(sm.create(fit.scale()));
    }

    /** Per-feature mean and standard deviation (at least 1e-6) of [m, f]. */
    static float[][] standardisation(float[] x, int m, int f) {
        double[] mean = new double[f];
        double[] sq = new double[f];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < f; j++) {
                double v = x[i * f + j];
                mean[j] += v;
                sq[j] += v * v;
            }
        }
        float[] mu = new float[f];
        float[] sd = new float[f];
        for (int j = 0; j < f; j++) {
            double mj = mean[j] / m;
            mu[j] = (float) mj;
            sd[j] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, sq[j] / m - mj * mj)));
        }
        return new float[][] {mu, sd};
    }

    private static int[] rankInClass(int[] labels, int n, int k) {
        int[] seen = new int[k];
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[i] = seen[labels[i]]++;
        }
        return rank;
    }

    private static float[] rows(float[] x, int[] rows, int f) {
        float[] out = new float[rows.length * f];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * f, out, i * f, f);
        }
        return out;
    }

    private static int[] pick(int[] labels, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = labels[rows[i]];
        return out;
    }
}
