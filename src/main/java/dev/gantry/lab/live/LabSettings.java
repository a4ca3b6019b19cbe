package dev.gantry.lab.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ToyMixture;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a person chooses on the lab's page: the 2D mixture (a named one of PacGAN, or centres drawn
 * with the mouse), the loss of the family, k, the learning rate, the noise dimension, the width of
 * the networks and the seed. Every value is range-checked; a bad one is refused with a message
 * that names its key ({@link BadInputException}, shown on the page).
 *
 * <p>The settings become a {@link RunConfig} of the {@code toy-ring8} preset (PacGAN's 2D
 * networks, Adam, the alternating schedule of Algorithm 1) made small enough to watch: networks of
 * {@code hidden} units (G: 3 ReLU layers with batch norm, D: 2 maxout layers of 2 pieces), 10,000
 * training points, statistics every {@value #STATS_EVERY} steps.
 *
 * @param mixture {@code ring8}, {@code grid25} or {@code custom}
 * @param centres the custom mixture's mode means {@code [K][2]} (empty for a named mixture)
 * @param std the custom mixture's standard deviation (a named mixture's own otherwise)
 * @param loss one of {@link #LOSSES}
 * @param k discriminator steps per generator step
 * @param lr Adam's learning rate of G
 * @param lrD Adam's learning rate of D (two rates: the two time-scale update rule, Heusel et al. 2017)
 * @param noiseDim dimension of z
 * @param hidden units per hidden layer of G and of D
 * @param seed master seed of the run
 */
public record LabSettings(String mixture, double[][] centres, double std, String loss, int k, double lr, double lrD,
        int noiseDim, int hidden, long seed) {

    /** The losses the page offers, each as the config keys it sets (the family of docs/mode-coverage.md). */
    public static final Map<String, List<String>> LOSSES = losses();

    public static final List<String> MIXTURES = List.of("ring8", "grid25", "custom");

    static final int MAX_CENTRES = 50;
    static final double MAX_COORD = 10;
    static final double MIN_STD = 0.001;
    static final double MAX_STD = 1;
    static final int MAX_K = 10;
    static final double MIN_LR = 1e-6;
    static final double MAX_LR = 0.1;
    static final int MAX_NOISE_DIM = 64;
    static final int MIN_HIDDEN = 4;
    static final int MAX_HIDDEN = 512;
    static final long MAX_SEED = Integer.MAX_VALUE;
    static final int TRAIN_POINTS = 10_000;
    static final int STATS_EVERY = 10;
    /** Fake points drawn on the page: G of a fixed noise batch, {@code GRID_SIDE²} of them. */
    static final int GRID_SIDE = 16;

    private static Map<String, List<String>> losses() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("gan", List.of("loss.name=gan", "loss.generator=non-saturating"));
        m.put("gan-minimax", List.of("loss.name=gan", "loss.generator=minimax"));
        m.put("least-squares", List.of("loss.name=least-squares"));
        m.put("hinge", List.of("loss.name=hinge"));
        // WGAN-GP as Gulrajani et al. (2017): penalty 10, Adam beta = (0.5, 0.9).
        m.put("wasserstein-gp", List.of("loss.name=wasserstein", "loss.gp_weight=10", "optim.beta1=0.5", "optim.beta2=0.9"));
        return java.util.Collections.unmodifiableMap(m);
    }

    public LabSettings {
        if (!MIXTURES.contains(mixture)) {
            throw new BadInputException("mixture: expected one of " + String.join(", ", MIXTURES) + " (got " + quote(mixture) + ")");
        }
        if ("custom".equals(mixture)) {
            if (centres == null || centres.length == 0 || centres.length > MAX_CENTRES) {
                throw new BadInputException("centres: a custom mixture needs 1 to " + MAX_CENTRES + " centres (got "
                        + (centres == null ? 0 : centres.length) + "); click on the plane to add some");
            }
            double[][] copy = new double[centres.length][];
            for (int i = 0; i < centres.length; i++) {
                double[] c = centres[i];
                if (c == null || c.length != 2 || !inRange(c[0], -MAX_COORD, MAX_COORD) || !inRange(c[1], -MAX_COORD, MAX_COORD)) {
                    throw new BadInputException("centres[" + i + "]: expected a point [x, y] with both coordinates in ["
                            + -MAX_COORD + ", " + MAX_COORD + "]");
                }
                copy[i] = c.clone();
            }
            centres = copy;
            if (!inRange(std, MIN_STD, MAX_STD)) {
                throw new BadInputException("std: expected a number in [" + MIN_STD + ", " + MAX_STD + "] (got " + num(std) + ")");
            }
        } else {
            ToyMixture named = ToyMixture.named(mixture);
            centres = new double[0][];
            std = named.std();
        }
        if (!LOSSES.containsKey(loss)) {
            throw new BadInputException("loss: expected one of " + String.join(", ", LOSSES.keySet()) + " (got " + quote(loss) + ")");
        }
        intRange("k", k, 1, MAX_K);
        if (!inRange(lr, MIN_LR, MAX_LR)) {
            throw new BadInputException("lr: expected a learning rate in [" + MIN_LR + ", " + MAX_LR + "] (got " + num(lr) + ")");
        }
        if (!inRange(lrD, MIN_LR, MAX_LR)) {
            throw new BadInputException("lr_d: expected a learning rate in [" + MIN_LR + ", " + MAX_LR + "] (got " + num(lrD) + ")");
        }
        intRange("noise_dim", noiseDim, 1, MAX_NOISE_DIM);
        intRange("hidden", hidden, MIN_HIDDEN, MAX_HIDDEN);
        if (seed < 0 || seed > MAX_SEED) {
            throw new BadInputException("seed: expected an integer in [0, " + MAX_SEED + "] (got " + seed + ")");
        }
    }

    /** The page's first settings: ring8, the non-saturating GAN loss, k = 1, lr 1e-3 for G and D, z in 2D, 128 units, seed 0. */
    public static LabSettings defaults() {
        return new LabSettings("ring8", null, 0, "gan", 1, 1e-3, 1e-3, 2, 128, 0);
    }

    /**
     * Reads settings from JSON; absent keys keep their {@link #defaults}, unknown keys and values of
     * the wrong type are refused by name.
     */
    public static LabSettings fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new BadInputException("settings: expected a JSON object");
        }
        LabSettings d = defaults();
        List<String> known = List.of("mixture", "centres", "std", "loss", "k", "lr", "lr_d", "noise_dim", "hidden", "seed");
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new BadInputException(quote(name) + ": unknown setting; expected one of " + String.join(", ", known));
            }
        }
        String mixture = text(node, "mixture", d.mixture());
        double[][] centres = null;
        JsonNode c = node.get("centres");
        if (c != null && !c.isNull()) {
            if (!c.isArray()) {
                throw new BadInputException("centres: expected a list of points [[x, y], ...]");
            }
            if (c.size() > MAX_CENTRES) {
                throw new BadInputException("centres: at most " + MAX_CENTRES + " centres (got " + c.size() + ")");
            }
            centres = new double[c.size()][];
            for (int i = 0; i < c.size(); i++) {
                JsonNode p = c.get(i);
                if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                    throw new BadInputException("centres[" + i + "]: expected a point [x, y] of two numbers");
                }
                centres[i] = new double[] {p.get(0).asDouble(), p.get(1).asDouble()};
            }
        }
        double std = number(node, "std", "custom".equals(mixture) ? 0.05 : 0);
        return new LabSettings(mixture, centres, std, text(node, "loss", d.loss()), integer(node, "k", d.k()),
                number(node, "lr", d.lr()), number(node, "lr_d", d.lrD()), integer(node, "noise_dim", d.noiseDim()), integer(node, "hidden", d.hidden()),
                integer(node, "seed", d.seed()));
    }

    /** The settings as the page sends them. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("mixture", mixture);
        ArrayNode cs = o.putArray("centres");
        for (double[] c : centres) {
            cs.addArray().add(c[0]).add(c[1]);
        }
        o.put("std", std);
        o.put("loss", loss);
        o.put("k", k);
        o.put("lr", lr);
        o.put("lr_d", lrD);
        o.put("noise_dim", noiseDim);
        o.put("hidden", hidden);
        o.put("seed", seed);
        return o;
    }

    /** The mixture trained on. */
    public ToyMixture toyMixture() {
        return "custom".equals(mixture) ? ToyMixture.of("custom", centres, std) : ToyMixture.named(mixture);
    }

    /** The config keys these settings set on top of the {@code toy-ring8} preset. */
    public List<String> configSets() {
        List<String> s = new ArrayList<>();
        // A custom mixture's points are handed to the trainer directly; its config names ring8.
        s.add("data.name=" + ("grid25".equals(mixture) ? "grid25" : "ring8"));
        s.add("data.train_size=" + TRAIN_POINTS);
        s.add("model.noise_dim=" + noiseDim);
        s.add("model.g_layers=3");
        s.add("model.g_hidden=" + hidden);
        s.add("model.d_layers=2");
        s.add("model.d_units=" + hidden);
        s.add("model.d_pieces=2");
        s.addAll(LOSSES.get(loss));
        s.add("optim.lr=" + lr);
        s.add("optim.d_lr=" + lrD);
        s.add("train.k=" + k);
        s.add("train.stats_every=" + STATS_EVERY);
        s.add("train.grid_side=" + GRID_SIDE);
        s.add("diagnostics.enabled=true");
        return s;
    }

    /** The config trained: {@code toy-ring8} with {@link #configSets} and the seed. */
    public RunConfig config() {
        List<String> sets = new ArrayList<>(configSets());
        sets.add("seed=" + seed);
        return ConfigLoader.load("toy-ring8", null, sets);
    }

    private static boolean inRange(double v, double lo, double hi) {
        return Double.isFinite(v) && v >= lo && v <= hi;
    }

    private static void intRange(String key, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new BadInputException(key + ": expected an integer in [" + lo + ", " + hi + "] (got " + v + ")");
        }
    }

    private static String text(JsonNode node, String key, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new BadInputException(key + ": expected a string (got " + v + ")");
        }
        return v.asText();
    }

    private static double number(JsonNode node, String key, double fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new BadInputException(key + ": expected a number (got " + abbreviate(v.toString()) + ")");
        }
        return v.asDouble();
    }

    private static int integer(JsonNode node, String key, long fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return (int) fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new BadInputException(key + ": expected an integer (got " + abbreviate(v.toString()) + ")");
        }
        return v.asInt();
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "'" + abbreviate(s) + "'";
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabSettings s && toJson().equals(s.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
