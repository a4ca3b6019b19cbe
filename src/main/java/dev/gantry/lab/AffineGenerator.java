package dev.gantry.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gantry.nn.Dense;
import dev.gantry.nn.Param;
import java.util.List;

/**
 * The smallest generator of Goodfellow et al.'s (2014) one-dimensional picture: G(z) = a·z + b of
 * noise z ~ N(0, 1), one {@link Dense} unit. Its distribution is N(b, a²) in closed form, so the
 * divergences of its training can be integrated exactly instead of estimated from samples.
 */
public final class AffineGenerator implements ScalarNet {

    private final Dense unit;

    /** Starts at G(z) = scale·z + shift. */
    public AffineGenerator(NDManager manager, String name, double scale, double shift) {
        this.unit = new Dense(manager, name, 1, 1, 0);   // U(0, 0): weight 0, bias 0
        try (NDArray a = manager.create(new float[] {(float) scale}, new Shape(1, 1));
             NDArray b = manager.create(new float[] {(float) shift})) {
            unit.weight().array().addi(a);
            unit.bias().array().addi(b);
        }
    }

    @Override
    public NDArray forward(NDArray z, boolean frozen) {
        return unit.forward(z, frozen).reshape(-1);     // [B, 1] → [B]
    }

    @Override
    public double[] evaluate(NDManager manager, float[] z) {
        double a = scale();
        double b = shift();
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = (float) (a * z[i] + b);
        }
        return out;
    }

    /** a: |a| is the standard deviation of G's samples. */
    public double scale() {
        return unit.weight().array().getFloat(0, 0);
    }

    /** b: the mean of G's samples. */
    public double shift() {
        return unit.bias().array().getFloat(0);
    }

    /** G's distribution, N(b, a²). */
    public Density1D density() {
        return Density1D.normal(shift(), Math.max(1e-6, Math.abs(scale())));
    }

    @Override
    public List<Param> params() {
        return unit.params();
    }
}
