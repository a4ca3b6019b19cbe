package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A weight-normalised fully connected layer (Salimans &amp; Kingma 2016): y = x Wᵀ + b with each
 * output unit's weight row W_j = g_j · v_j / ‖v_j‖, so the direction v is trained apart from the
 * length g.
 *
 * <p>As in the code of Salimans et al. (2016) for MNIST, the length g is either trained (their
 * classifier's last layer, G's output layer) or fixed after a data-dependent initialisation (every
 * hidden layer of their D): {@link #initFromData} sets g and b so that each unit's pre-activation
 * has mean 0 and variance 1 on a batch. A fixed g is a buffer, saved in checkpoints like a
 * parameter but never updated by the optimizer.
 */
public final class WeightNormDense implements Module {

    private static final float EPS = 1e-12f;

    private final Param direction;
    private final Param bias;
    private final Param trainedScale;   // g when trained, else null
    private final NDArray fixedScale;   // g when fixed, else null
    private final int in;
    private final int out;

    /**
     * @param std the direction v is drawn from N(0, std²) (only its direction matters)
     * @param trainScale whether g is a trained parameter; otherwise a buffer set by {@link #initFromData}
     */
    public WeightNormDense(NDManager manager, String name, int in, int out, double std, boolean trainScale) {
        this.in = in;
        this.out = out;
        this.direction = new Param(name + ".v", manager.randomNormal(0f, (float) std, new Shape(out, in), DataType.FLOAT32));
        this.bias = new Param(name + ".bias", manager.zeros(new Shape(out)));
        NDArray g = manager.ones(new Shape(out));
        if (trainScale) {
            this.trainedScale = new Param(name + ".g", g);
            this.fixedScale = null;
        } else {
            g.setName(name + ".g");
            this.trainedScale = null;
            this.fixedScale = g;
        }
    }

    /** x [B, in] → [B, out]. */
    public NDArray forward(NDArray x, boolean frozen) {
        NDManager scope = x.getManager();
        return x.getNDArrayInternal().linear(x, weight(frozen, scope), bias.use(frozen, scope)).singletonOrThrow();
    }

    /** The weight the layer applies, g · v / ‖v‖ row by row [out, in], differentiable in v and a trained g. */
    public NDArray weight(boolean frozen, NDManager scope) {
        // Arrays computed from a parameter land on the parameter's long-lived manager: each is moved
        // to the pass's scope, or every pass would leak them (a 2026-12-02 run grew to 22 GB).
        NDArray v = direction.use(frozen, scope);
        NDArray g = trainedScale != null ? trainedScale.use(frozen, scope) : fixedScale;
        NDArray sq = v.square();
        sq.attach(scope);
        NDArray norm = sq.sum(new int[] {1}, true).add(EPS).sqrt();             // [out, 1]
        norm.attach(scope);
        NDArray g2 = g.reshape(out, 1);
        g2.attach(scope);
        NDArray w = v.mul(g2);
        w.attach(scope);
        NDArray result = w.div(norm);                                            // [out, in]
        result.attach(scope);
        return result;
    }

    /**
     * The data-dependent initialisation of Salimans &amp; Kingma: with t = x Wᵀ the pre-activations of
     * the batch x [B, in] at the current g, sets g ← g / σ(t) and b ← −μ(t) / σ(t) per unit, and
     * returns the batch's pre-activations under the new g and b ([B, out]: mean 0, variance 1 per
     * unit), for the next layer's initialisation. Outside autograd.
     */
    public NDArray initFromData(NDArray x) {
        NDManager scope = x.getManager();
        NDArray t = x.matMul(weight(true, scope).transpose());                  // [B, out]
        NDArray mean = t.mean(new int[] {0});                                    // [out]
        NDArray centred = t.sub(mean);
        NDArray std = centred.square().mean(new int[] {0}).add(1e-8f).sqrt();   // [out]
        NDArray g = trainedScale != null ? trainedScale.array() : fixedScale;
        NDArray scaled = g.div(std);
        scaled.attach(scope);
        g.set(scaled.toFloatArray());
        bias.array().set(mean.neg().div(std).toFloatArray());
        return centred.div(std);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** Whether g is trained (else a fixed buffer). */
    public boolean trainsScale() {
        return trainedScale != null;
    }

    public Param bias() {
        return bias;
    }

    @Override
    public List<Param> params() {
        return trainedScale != null ? List.of(direction, bias, trainedScale) : List.of(direction, bias);
    }

    @Override
    public List<NDArray> buffers() {
        return fixedScale != null ? List.of(fixedScale) : List.of();
    }
}
