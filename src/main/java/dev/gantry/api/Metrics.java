package dev.gantry.api;

import dev.gantry.BadInputException;
import dev.gantry.eval.Evaluation;
import dev.gantry.eval.Metric;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The registered metrics, by name; names encode the protocol, as in StyleGAN2-ADA's
 * {@code metric_main.py}: {@code parzen10k} is the Parzen-window log-likelihood of Goodfellow et
 * al. (2014), Table 1, on 10,000 samples; {@code fid-lenet10k} the Fréchet distance of Heusel et
 * al. (2017) in the features of Gantry's shipped LeNet; {@code classes10k}, {@code kid-lenet10k}
 * (Bińkowski et al. 2018), {@code pr-lenet10k} (Kynkäänniemi et al. 2019), {@code dc-lenet10k}
 * (Naeem et al. 2020) and the others of {@link #names()}. The classifier-based ones need a
 * dataset whose feature network ships (MNIST, Fashion-MNIST); docs/evaluation.md describes each.
 *
 * <p>Each metric draws the samples its protocol needs and compares them with the first 10,000
 * images of the test split (Parzen: σ chosen on the validation split), exactly as {@code gantry
 * eval METRIC} does.
 */
public final class Metrics {

    private Metrics() {}

    /**
     * The names of the registered metrics.
     *
     * @return e.g. {@code parzen10k}, {@code fid-lenet10k}, ...
     */
    public static List<String> names() {
        return dev.gantry.eval.Metrics.names();
    }

    /**
     * What a metric measures and the protocol it follows, in one line.
     *
     * @param name a registered name
     * @return the description
     * @throws BadInputException listing the valid names when {@code name} is not one
     */
    public static String describe(String name) {
        return dev.gantry.eval.Metrics.named(name).description();
    }

    /**
     * How many generator samples a metric's protocol draws.
     *
     * @param name a registered name
     * @return e.g. 10,000 for {@code parzen10k}
     * @throws BadInputException listing the valid names when {@code name} is not one
     */
    public static int samples(String name) {
        return dev.gantry.eval.Metrics.named(name).samples();
    }

    /**
     * Evaluates a metric on a generator's samples against the test split of the data it was
     * trained on (from the directory its config names, else the cache).
     *
     * @param name a registered name
     * @param generator the generator
     * @param seed the seed of the noise (0 is {@code gantry eval}'s default)
     * @return the result
     * @throws BadInputException when the metric is unknown or cannot judge the generator's dataset, or
     *     the generator makes values outside [0, 1]
     */
    public static MetricResult evaluate(String name, Generator generator, long seed) {
        Metric m = dev.gantry.eval.Metrics.named(name);
        var data = generator.config().data();
        Path dir = data.dir() == null || data.dir().isBlank() ? null : Path.of(data.dir());
        try (Evaluation ev = Evaluation.of(data.name(), dir, "test", null, System.err)) {
            if (generator.classes() > 0) {
                ev.conditional(ev.dataset().classNames().size());   // Sampler draws sample i of class i mod K
            }
            check(m, ev, generator.dim());
            float[] samples = generator.sample(m.samples(), seed);
            for (float v : samples) {
                if (!(v >= 0f && v <= 1f)) {
                    throw new BadInputException(generator.checkpoint() + " generates a value " + v + " outside [0, 1] (diverged weights?)");
                }
            }
            return result(m.compute(samples, m.samples(), ev));
        }
    }

    /**
     * Evaluates a metric on samples of your own against the test split of a dataset, as {@code
     * gantry eval METRIC --samples F.npy --data NAME} does.
     *
     * @param name a registered name
     * @param samples [n, C·H·W] in [0, 1], channel-major rows
     * @param n how many samples; at least {@link #samples(String)}
     * @param dataName the dataset the samples imitate, e.g. {@code mnist} (from the cache)
     * @return the result
     * @throws BadInputException when the metric or dataset is unknown, the metric cannot judge the
     *     dataset, or the samples are too few, of the wrong width, or outside [0, 1]
     */
    public static MetricResult evaluate(String name, float[] samples, int n, String dataName) {
        Metric m = dev.gantry.eval.Metrics.named(name);
        try (Evaluation ev = Evaluation.of(dataName, null, "test", null, System.err)) {
            int dim = ev.dataset().shape().dim();
            check(m, ev, dim);
            if (n < m.samples()) {
                throw new BadInputException(name + " needs " + m.samples() + " samples, got " + n);
            }
            if (samples == null || samples.length != (long) n * dim) {
                throw new BadInputException(name + ": expected " + n + " samples of " + dim + " values (" + dataName + " is "
                        + ev.dataset().shape() + "), got " + (samples == null ? "null" : samples.length + " values"));
            }
            for (int i = 0; i < samples.length; i++) {
                if (!(samples[i] >= 0f && samples[i] <= 1f)) {
                    throw new BadInputException(name + ": sample " + i / dim + " holds " + samples[i] + " at " + i % dim
                            + "; expected values in [0, 1]");
                }
            }
            return result(m.compute(samples, n, ev));
        }
    }

    private static void check(Metric m, Evaluation ev, int dim) {
        String why = m.unsuitable(ev);
        if (why != null) {
            throw new BadInputException(m.name() + ": " + why);
        }
        if (dim != ev.dataset().shape().dim()) {
            throw new BadInputException(m.name() + ": samples of " + dim + " values, but " + ev.dataset().name() + " has "
                    + ev.dataset().shape() + " images");
        }
    }

    private static MetricResult result(Map<String, Object> r) {
        Object value = r.get("value");
        return new MetricResult(String.valueOf(r.get("metric")), value instanceof Number v ? v.doubleValue() : Double.NaN, r);
    }
}
