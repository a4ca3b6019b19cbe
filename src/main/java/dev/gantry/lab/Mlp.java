package dev.gantry.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.nn.Dense;
import dev.gantry.nn.Maxout;
import dev.gantry.nn.Module;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * A small multilayer perceptron with one output, from Gantry's {@link Dense} and {@link Maxout}
 * layers: the toy discriminators (a logit) and generators (a sample) of the lab.
 *
 * <p>Hidden layers are ReLU or maxout (Goodfellow et al. 2013; the GAN paper's discriminator).
 * Weights and biases start from U(−1/√fan_in, 1/√fan_in), torch's default for {@code nn.Linear}:
 * with biases at 0, as {@link Dense} leaves them, every first-layer ReLU of a one-dimensional input
 * would bend at x = 0 and the network would start as a function of relu(x) and relu(−x) only.
 */
public final class Mlp implements ScalarNet {

    /** The hidden units. */
    public enum Activation {
        RELU, MAXOUT;

        /** From the command line's name: {@code relu} or {@code maxout}. */
        public static Activation parse(String name, String option) {
            return switch (name) {
                case "relu" -> RELU;
                case "maxout" -> MAXOUT;
                default -> throw new BadInputException(option + " must be relu or maxout (got '" + name + "')");
            };
        }
    }

    /** Linear pieces per maxout unit. */
    public static final int MAXOUT_PIECES = 5;

    private final int in;
    private final Activation activation;
    private final List<Module> hidden = new ArrayList<>();
    private final Dense output;

    /**
     * @param in input dimension
     * @param width hidden units per layer
     * @param depth number of hidden layers, at least 1
     */
    public Mlp(NDManager manager, String name, int in, int width, int depth, Activation activation) {
        this.in = in;
        this.activation = activation;
        int fanIn = in;
        for (int i = 0; i < depth; i++) {
            double r = 1 / Math.sqrt(fanIn);
            Module layer = activation == Activation.RELU
                    ? new Dense(manager, name + ".h" + i, fanIn, width, r)
                    : new Maxout(manager, name + ".h" + i, fanIn, width, MAXOUT_PIECES, r);
            randomize(manager, layer.params().get(1), r);
            hidden.add(layer);
            fanIn = width;
        }
        double r = 1 / Math.sqrt(fanIn);
        this.output = new Dense(manager, name + ".out", fanIn, 1, r);
        randomize(manager, output.bias(), r);
    }

    private static void randomize(NDManager manager, Param bias, double r) {
        try (NDArray u = manager.randomUniform((float) -r, (float) r, bias.array().getShape())) {
            bias.array().addi(u);
        }
    }

    @Override
    public NDArray forward(NDArray x, boolean frozen) {
        NDArray h = x;                                                      // [B, in]
        for (Module layer : hidden) {
            h = layer instanceof Dense d
                    ? d.forward(h, frozen).getNDArrayInternal().relu()      // [B, width]
                    : ((Maxout) layer).forward(h, frozen);                  // [B, width]
        }
        return output.forward(h, frozen).reshape(-1);                       // [B]
    }

    /**
     * The outputs at {@code n} points given row-major in {@code xs} ({@code [n, in]}), without
     * gradients, in chunks so a fine grid stays cheap.
     */
    @Override
    public double[] evaluate(NDManager manager, float[] xs) {
        int n = xs.length / in;
        double[] out = new double[n];
        int chunk = 4096;
        for (int start = 0; start < n; start += chunk) {
            int m = Math.min(chunk, n - start);
            try (NDManager sm = manager.newSubManager()) {
                float[] part = new float[m * in];
                System.arraycopy(xs, start * in, part, 0, m * in);
                float[] y = forward(sm.create(part, new ai.djl.ndarray.types.Shape(m, in)), true).toFloatArray();
                for (int i = 0; i < m; i++) {
                    out[start + i] = y[i];
                }
            }
        }
        return out;
    }

    /** Adds {@code c} to the output's bias: a generator can start off-centre. */
    public void shiftOutput(NDManager manager, float c) {
        try (NDArray s = manager.create(new float[] {c})) {
            output.bias().array().addi(s);
        }
    }

    /** A copy of every parameter's values, in {@link #params()} order. */
    public float[][] state() {
        List<Param> ps = params();
        float[][] s = new float[ps.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = ps.get(i).array().toFloatArray();
        }
        return s;
    }

    /** Overwrites every parameter with values from {@link #state()} of a network of the same shape. */
    public void load(float[][] state) {
        List<Param> ps = params();
        if (state.length != ps.size()) {
            throw new IllegalArgumentException("state has " + state.length + " arrays, network " + ps.size());
        }
        for (int i = 0; i < state.length; i++) {
            if (state[i].length != ps.get(i).size()) {
                throw new IllegalArgumentException(ps.get(i).name() + ": state has " + state[i].length
                        + " values, parameter " + ps.get(i).size());
            }
            // In place, so the optimizer's references stay valid (set(Buffer) also works but makes
            // the engine print a deprecation warning).
            NDArray a = ps.get(i).array();
            try (NDArray src = a.getManager().create(state[i], a.getShape())) {
                a.muli(0).addi(src);
            }
        }
    }

    public int in() {
        return in;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        hidden.forEach(l -> all.addAll(l.params()));
        all.addAll(output.params());
        return all;
    }
}
