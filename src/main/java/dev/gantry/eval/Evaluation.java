package dev.gantry.eval;

import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.classifier.FeatureNet;
import dev.gantry.classifier.FeatureSpace;
import dev.gantry.data.Dataset;
import dev.gantry.data.Datasets;
import dev.gantry.data.ImageSet;
import dev.gantry.data.Split;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What metrics share while judging one set of samples: the dataset and its reference images
 * (the test split, or validation for choosing checkpoints), the frozen feature network, and the
 * features and class probabilities of the samples and of the reference, each computed once.
 */
public final class Evaluation implements AutoCloseable {

    /** Reference images the feature metrics compare with: the first 10,000 of the split. */
    public static final int REFERENCE_SIZE = 10_000;

    private final Dataset dataset;
    private final Dataset.Request request;
    private final String split;
    private final Path classifierFile;
    private final PrintStream log;
    private final NDManager manager = NDManager.newBaseManager();
    private ImageSet reference;
    private FeatureNet network;
    private float[][] referenceFeatures;        // per FeatureSpace
    private float[] samplesKey;
    private float[][] sampleFeatures;           // per FeatureSpace
    private float[] sampleProbabilities;
    private int sampleClasses;

    /**
     * Says the samples come from a conditional generator of {@code classes} classes, drawn the
     * way {@link dev.gantry.models.Sampler#generate} draws them: sample i of class i mod K.
     */
    public Evaluation conditional(int classes) {
        this.sampleClasses = classes;
        return this;
    }

    /** The classes of a conditional generator's samples; 0 for unconditional samples or a sample file. */
    public int sampleClasses() {
        return sampleClasses;
    }

    /** The classes the first n samples were drawn for (sample i: class i mod K). */
    public int[] sampleLabels(int n) {
        if (sampleClasses == 0) {
            throw new IllegalStateException("the samples are not conditional");
        }
        return dev.gantry.models.Conditioning.cycle(n, dev.gantry.models.Conditioning.all(sampleClasses));
    }

    /**
     * @param split "test" or "valid"
     * @param classifierFile a feature network to use instead of the shipped one, or null
     */
    public Evaluation(Dataset dataset, Dataset.Request request, String split, Path classifierFile, PrintStream log) {
        if (!split.equals("test") && !split.equals("valid")) {
            throw new BadInputException("--split must be test or valid (got '" + split + "')");
        }
        this.dataset = dataset;
        this.request = request;
        this.split = split;
        this.classifierFile = classifierFile;
        this.log = log;
    }

    public Dataset dataset() {
        return dataset;
    }

    public Dataset.Request request() {
        return request;
    }

    public String split() {
        return split;
    }

    public NDManager manager() {
        return manager;
    }

    /** The reference images: the first 10,000 of the split. */
    public ImageSet reference() {
        if (reference == null) {
            ImageSet all = dataset.load(split.equals("test") ? Split.TEST : Split.VALID, request);
            reference = all.n() > REFERENCE_SIZE ? all.slice(0, REFERENCE_SIZE) : all;
        }
        return reference;
    }

    /** The dataset whose classifier judges one image (a channel, for Stacked MNIST). */
    public String networkDataset() {
        return dataset.name().equals("stacked-mnist") ? "mnist" : dataset.name();
    }

    /** Why no feature network can judge this dataset, or null. */
    public String networkUnavailable() {
        if (classifierFile != null || FeatureNet.SHIPPED.containsKey(networkDataset())) {
            return null;
        }
        return "no feature network ships for " + networkDataset() + " (shipped: " + String.join(", ", FeatureNet.SHIPPED.keySet())
                + "); pass --classifier FILE";
    }

    /** The frozen feature network (shipped, checksum verified, or the one given). */
    public FeatureNet network() {
        if (network == null) {
            network = FeatureNet.load(networkDataset(), classifierFile);
        }
        return network;
    }

    /** Which network a score used, for its record. */
    public Map<String, Object> networkRecord() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", "lenet-" + networkDataset());
        m.put("network_sha256", network().sha256());
        if (classifierFile != null) {
            m.put("network_file", classifierFile.toString());
        }
        return m;
    }

    /** Penultimate features of the reference images [10000, 128]. */
    public float[] referenceFeatures() {
        return referenceFeatures(FeatureSpace.PENULTIMATE);
    }

    /** Features of the reference images in {@code space} (both spaces computed in one pass, then cached). */
    public float[] referenceFeatures(FeatureSpace space) {
        if (referenceFeatures == null) {
            float[][] all = network().all(reference().pixels(), reference().n());
            referenceFeatures = new float[][] {all[0], all[1]};
        }
        return referenceFeatures[space.ordinal()];
    }

    /** Penultimate features of the first n samples [n, 128] (cached for the same sample array and n). */
    public float[] features(float[] samples, int n) {
        return features(samples, n, FeatureSpace.PENULTIMATE);
    }

    /** Features of the first n samples in {@code space} [n, space.width()] (cached likewise). */
    public float[] features(float[] samples, int n, FeatureSpace space) {
        pass(samples, n);
        return sampleFeatures[space.ordinal()];
    }

    /** Class probabilities of the first n samples [n, classes] (cached likewise, from the same pass). */
    public float[] probabilities(float[] samples, int n) {
        pass(samples, n);
        return sampleProbabilities;
    }

    private void pass(float[] samples, int n) {
        key(samples, n);
        if (sampleFeatures == null) {
            float[][] all = network().all(java.util.Arrays.copyOf(samples, n * dataset.shape().dim()), n);
            sampleFeatures = new float[][] {all[0], all[1]};
            sampleProbabilities = all[2];
        }
    }

    private int keyN = -1;

    private void key(float[] samples, int n) {
        if (samples != samplesKey || n != keyN) {
            samplesKey = samples;
            keyN = n;
            sampleFeatures = null;
            sampleProbabilities = null;
        }
    }

    public PrintStream log() {
        return log;
    }

    /** The evaluation a config's dataset gets. */
    public static Evaluation of(String dataName, Path dataDir, String split, Path classifierFile, PrintStream log) {
        Dataset d = Datasets.named(dataName);
        return new Evaluation(d, new Dataset.Request(dataDir, 50_000, 0, log), split, classifierFile, log);
    }

    @Override
    public void close() {
        if (network != null) {
            network.close();
        }
        manager.close();
    }
}
