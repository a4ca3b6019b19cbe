package dev.gantry.models;

import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The architecture registry: {@code model.arch} to its {@link Architecture}. Adding one is one line here. */
public final class Models {

    private static final Map<String, Architecture> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("paper-mlp", new PaperMlp());
        REGISTRY.put("dcgan", new Dcgan());
        REGISTRY.put("ssgan-mlp", new SalimansMlp());
        REGISTRY.put("cgan-mlp", new MirzaMlp());
    }

    private Models() {}

    /** A generator and a discriminator built together (the order fixes how the seed is consumed). */
    public record Pair(Generator generator, Discriminator discriminator) {}

    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /**
     * The architecture called {@code name}.
     *
     * @throws BadInputException listing the valid names
     */
    public static Architecture named(String name) {
        Architecture a = REGISTRY.get(name);
        if (a == null) {
            throw new BadInputException("model.arch: unknown architecture '" + name + "' (expected one of "
                    + String.join(", ", names()) + ")");
        }
        return a;
    }

    /**
     * Builds G then D for images of shape {@code data}, drawing initial weights from the engine's
     * current RNG, after checking that the architecture fits the data.
     *
     * @param means of the training data, for the paper generator's output bias
     */
    public static Pair build(NDManager manager, RunConfig.ModelConfig m, ImageShape data, PixelMeans means) {
        return build(manager, m, data, means, 0);
    }

    /**
     * As {@link #build(NDManager, RunConfig.ModelConfig, ImageShape, PixelMeans)}, for data of
     * {@code classes} classes (0 for unlabelled data).
     *
     * @throws BadInputException when {@code model.conditional} is set and the data have no classes
     */
    public static Pair build(NDManager manager, RunConfig.ModelConfig m, ImageShape data, PixelMeans means, int classes) {
        return build(manager, m, data, means, classes, false);
    }

    /**
     * As {@link #build(NDManager, RunConfig.ModelConfig, ImageShape, PixelMeans, int)}; with
     * {@code jointZ}, D judges (x, z) pairs (BiGAN, Donahue et al. 2017): z [B, noiseDim] enters
     * where a conditional D takes its label.
     */
    public static Pair build(NDManager manager, RunConfig.ModelConfig m, ImageShape data, PixelMeans means, int classes,
                             boolean jointZ) {
        Architecture a = named(m.arch());
        checkSizes(m, data);
        int k = conditionedOn(m, classes);
        if (jointZ && k > 0) {
            throw new BadInputException("loss.name = bigan with model.conditional = true: a conditional BiGAN is not available");
        }
        if (means.perPixel().length != data.dim()) {
            throw new IllegalArgumentException("pixel means of " + means.perPixel().length + " values for images of " + data);
        }
        Generator g = a.generator(manager, m, data, means, k);
        Discriminator d = a.discriminator(manager, m, data, jointZ ? m.noiseDim() : k);
        return new Pair(g, d);
    }

    /** Builds G alone (for sampling from a checkpoint: its parameters are restored afterwards). */
    public static Generator generator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, int classes) {
        Architecture a = named(m.arch());
        checkSizes(m, data);
        return a.generator(manager, m, data, PixelMeans.constant(0.5, data.dim()), conditionedOn(m, classes));
    }

    /** Builds D alone (for probing it from a checkpoint: its parameters are restored afterwards). */
    public static Discriminator discriminator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, int classes,
                                              boolean jointZ) {
        Architecture a = named(m.arch());
        checkSizes(m, data);
        return a.discriminator(manager, m, data, jointZ ? m.noiseDim() : conditionedOn(m, classes));
    }

    /** The classes the networks take: the data's when {@code model.conditional}, else 0. */
    static int conditionedOn(RunConfig.ModelConfig m, int classes) {
        if (!m.conditional()) {
            return 0;
        }
        if (classes < 2) {
            throw new BadInputException("model.conditional = true needs labelled data with classes; these data have "
                    + (classes == 0 ? "none" : "one"));
        }
        return classes;
    }

    /**
     * Most values one tensor may hold. A checkpoint writes and reads each tensor as one Java byte
     * array of 4 bytes a value ({@code Checkpoint}), DJL hands a tensor's values to Java through one
     * int-indexed ByteBuffer, and a Java array holds at most {@code Integer.MAX_VALUE − 8} elements
     * (the most HotSpot allocates): (2^31 − 9) / 4 = 536,870,909 values.
     */
    public static final long MAX_TENSOR_VALUES = (Integer.MAX_VALUE - 8L) / Float.BYTES;

    /**
     * Checks that the architecture fits the data ({@link Architecture#check}) and that none of the
     * tensors G and D would hold exceeds {@link #MAX_TENSOR_VALUES}, from the config alone, before
     * anything is allocated.
     *
     * @return the sizes of G's and D's tensors
     * @throws BadInputException naming each oversized tensor, the keys that size it and their values
     */
    public static List<TensorSize> checkSizes(RunConfig.ModelConfig m, ImageShape data) {
        Architecture a = named(m.arch());
        a.check(m, data);
        List<TensorSize> sizes = a.tensorSizes(m, data);
        List<TensorSize> over = sizes.stream().filter(t -> t.elements() > MAX_TENSOR_VALUES)
                .sorted(java.util.Comparator.comparingLong(TensorSize::elements).reversed()).toList();
        if (!over.isEmpty()) {
            TensorSize t = over.get(0);
            String more = over.size() == 1 ? "" : "; " + (over.size() - 1) + " more exceed it ("
                    + String.join(", ", over.subList(1, Math.min(over.size(), 6)).stream().map(TensorSize::name).toList())
                    + (over.size() > 6 ? ", ..." : "") + ")";
            throw new BadInputException(String.format("the model does not fit in memory: tensor %s would hold %s values, "
                    + "%s%s, more than the %,d that fit one tensor (a checkpoint keeps each tensor in one Java array of 4 bytes "
                    + "a value)%s", t.name(), t.elements() == Long.MAX_VALUE ? "more than 2^63" : String.format("%,d", t.elements()),
                    t.keys(), keyValues(m, t.keys()), MAX_TENSOR_VALUES, more));
        }
        return sizes;
    }

    /** " (model.a = 1, model.b = 2)": the values of the model keys named in {@code keys}. */
    static String keyValues(RunConfig.ModelConfig m, String keys) {
        com.fasterxml.jackson.databind.JsonNode tree = dev.gantry.config.ConfigLoader.mapper().valueToTree(m);
        java.util.Set<String> named = new java.util.LinkedHashSet<>();
        java.util.regex.Matcher k = java.util.regex.Pattern.compile("model\\.([a-z_]+)").matcher(keys);
        while (k.find()) {
            if (tree.has(k.group(1))) {
                named.add("model." + k.group(1) + " = " + tree.get(k.group(1)).asText());
            }
        }
        return named.isEmpty() ? "" : " (" + String.join(", ", named) + ")";
    }

    /** The image side a model is built for: {@code model.image_size}, or the data's when 0. */
    static void checkImageSize(RunConfig.ModelConfig m, ImageShape data) {
        if (m.imageSize() != 0 && (m.imageSize() != data.height() || m.imageSize() != data.width())) {
            throw new BadInputException("model " + m.arch() + " is configured for " + data.channels() + "×" + m.imageSize() + "×"
                    + m.imageSize() + " images (model.image_size = " + m.imageSize() + ") but the data are " + data
                    + ": set model.image_size to " + (data.height() == data.width() ? data.height() : 0) + " or 0");
        }
    }
}
