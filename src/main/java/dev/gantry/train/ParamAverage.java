package dev.gantry.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of a network's parameters (Polyak averaging, as Salimans et al.
 * 2016 test their D and Yazıcı et al. 2019 sample their G): after every update of the network,
 * avg ← avg + a (p − avg), from avg = 0. Read after t updates, avg / (1 − (1 − a)^t) is the
 * average with weights a(1 − a)^(t−s) normalised to sum to one.
 *
 * <p>The raw average is what a checkpoint stores, under {@value #PREFIX} and the parameter's name
 * ({@code average.g.h1.weight}, {@code average.d.out.bias}); so D's and G's averages share the
 * prefix without colliding. Keeping it draws no random number: the training trajectory is the
 * same with and without it.
 */
public final class ParamAverage {

    /** The checkpoint names of a moving average: this prefix and the parameter's name. */
    public static final String PREFIX = "average.";

    private final List<Param> params;
    private final List<NDArray> averages = new ArrayList<>();
    private final float rate;
    private long updates;   // how many updates the average holds (from its start, which resume may move: see GanTrainer.restartAverageG)

    /** No average when {@code rate} is 0. */
    ParamAverage(NDManager manager, List<Param> params, double rate) {
        this.params = params;
        this.rate = (float) rate;
        if (rate > 0) {
            for (Param p : params) {
                NDArray a = manager.zeros(p.array().getShape());
                a.setName(PREFIX + p.name());
                averages.add(a);
            }
        }
    }

    /** After an update of the network: avg ← avg + a (p − avg) for each parameter. */
    void update(NDManager scope) {
        if (averages.isEmpty()) {
            return;
        }
        try (NDManager sm = scope.newSubManager()) {
            for (int i = 0; i < params.size(); i++) {
                NDArray step = params.get(i).array().sub(averages.get(i));
                step.attach(sm);
                averages.get(i).addi(step.muli(rate));
            }
        }
        updates++;
    }

    /** How many updates of the network the average holds. */
    long updates() {
        return updates;
    }

    /** Sets the count of updates the average holds (restoring a checkpoint). */
    void setUpdates(long updates) {
        this.updates = updates;
    }

    /** The raw averages, in the parameters' order (empty without an average): checkpoint state. */
    List<NDArray> arrays() {
        return averages;
    }

    /** Whether an average is kept. */
    boolean kept() {
        return !averages.isEmpty();
    }

    /** 1 / (1 − (1 − a)^t): the factor that turns the raw average after t updates into a weighted mean. */
    public static float biasCorrection(double rate, long updates) {
        return (float) (1 / -Math.expm1(updates * Math.log1p(-rate)));
    }

    /**
     * Sets {@code target}'s parameters (the same network's, in the same order) to the
     * bias-corrected average of the updates it holds.
     */
    void copyInto(List<Param> target) {
        float scale = biasCorrection(rate, updates);
        for (int i = 0; i < averages.size(); i++) {
            try (NDArray w = averages.get(i).mul(scale)) {
                dev.gantry.nn.Tensors.setValues(target.get(i).array(), w.toFloatArray());
            }
        }
    }
}
