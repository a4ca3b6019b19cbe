package dev.gantry.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.Param;
import dev.gantry.util.AtomicFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A frozen feature network: a trained {@link LeNet} loaded from a weights file, with the file's
 * SHA-256 and metadata, so that every score can say which network made it. Scores are only
 * comparable between runs that used the same network: Gantry ships one per dataset
 * ({@link #SHIPPED}) and refuses a shipped file whose checksum differs, unless the user names
 * another file on purpose.
 *
 * <p>File format: a zip with {@code meta.json} (format {@value #FORMAT}, version, dataset, image
 * shape, classes, accuracies, the command that trained it) and one little-endian float32 entry per
 * parameter, entry times fixed at 0 so that the same weights always make the same bytes.
 */
public final class FeatureNet implements AutoCloseable {

    public static final String FORMAT = "gantry-classifier";
    public static final int VERSION = 1;

    /**
     * The networks that ship with Gantry ({@code src/main/resources/classifiers/NAME-lenet.zip}):
     * dataset name to the SHA-256 of its weights file. Each was made by the command in its
     * meta.json, with one engine thread (docs/evaluation.md).
     */
    public static final Map<String, String> SHIPPED = Map.of(
            // gantry classifier train --data mnist --epochs 8 --seed 1234: test accuracy 0.9926 (epoch 6 chosen on validation, 0.9922)
            "mnist", "f2c0ec6b2659f4b1b68302cdf6b99be0267bbad387b67d28222ef2b19a778554",
            // gantry classifier train --data fashion-mnist --epochs 15 --seed 1234: test accuracy 0.9153 (epoch 13 chosen, 0.9246)
            "fashion-mnist", "649ffd49225a2026489a5b3aeec6cfa030cc79855dde361b94206e78d7f522a7");

    private final NDManager manager;
    private final LeNet net;
    private final String sha256;
    private final JsonNode meta;
    private final String source;

    private FeatureNet(NDManager manager, LeNet net, String sha256, JsonNode meta, String source) {
        this.manager = manager;
        this.net = net;
        this.sha256 = sha256;
        this.meta = meta;
        this.source = source;
    }

    /** The shipped resource of a dataset's network. */
    public static String resource(String dataset) {
        return "/classifiers/" + dataset + "-lenet.zip";
    }

    /**
     * The network for {@code dataset}: {@code file} when given (any checksum, but it must have been
     * trained on that dataset), else the shipped one, whose checksum must match {@link #SHIPPED}.
     *
     * @throws BadInputException for a missing, truncated or foreign file, or a shipped file whose
     *     checksum differs
     */
    public static FeatureNet load(String dataset, Path file) {
        byte[] bytes;
        String source;
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException("classifier file " + file + " does not exist");
            }
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new BadInputException("classifier file " + file + " is unreadable: " + e.getMessage(), e);
            }
            source = file.toString();
        } else {
            String expected = SHIPPED.get(dataset);
            if (expected == null) {
                throw new BadInputException("no classifier ships for dataset " + dataset + " (shipped: " + SHIPPED.keySet()
                        + "); train one with `gantry classifier train --data " + dataset + "` and pass --classifier FILE");
            }
            try (InputStream in = FeatureNet.class.getResourceAsStream(resource(dataset))) {
                if (in == null) {
                    throw new BadInputException("the shipped classifier " + resource(dataset) + " is missing from the class path");
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new BadInputException("the shipped classifier " + resource(dataset) + " is unreadable: " + e.getMessage(), e);
            }
            source = "shipped " + resource(dataset);
            verifyShipped(bytes, dataset, expected);
        }
        return read(bytes, dataset, source);
    }

    /** Refuses bytes that are not the shipped network's (exit 2). */
    static void verifyShipped(byte[] bytes, String dataset, String expected) {
        String actual = sha256(bytes);
        if (!actual.equals(expected)) {
            throw new BadInputException("the shipped classifier " + resource(dataset) + " has SHA-256 " + actual
                    + ", expected " + expected + ": it is not the network Gantry's scores are defined with;"
                    + " pass --classifier FILE to use another network on purpose");
        }
    }

    /** The bytes of the shipped network of {@code dataset}, unchecked (for tests and tools). */
    static byte[] shippedBytes(String dataset) throws IOException {
        try (InputStream in = FeatureNet.class.getResourceAsStream(resource(dataset))) {
            if (in == null) {
                throw new BadInputException("the shipped classifier " + resource(dataset) + " is missing from the class path");
            }
            return in.readAllBytes();
        }
    }

    private static FeatureNet read(byte[] bytes, String dataset, String source) {
        JsonNode meta = null;
        Map<String, byte[]> tensors = new java.util.HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                byte[] content = zip.readAllBytes();
                if (e.getName().equals("meta.json")) {
                    meta = new ObjectMapper().readTree(content);
                } else if (e.getName().startsWith("tensors/")) {
                    tensors.put(e.getName().substring(8), content);
                }
            }
        } catch (IOException e) {
            throw new BadInputException("classifier " + source + " is not a readable zip (" + e.getMessage() + "): truncated or not a classifier file", e);
        }
        if (meta == null || !FORMAT.equals(meta.path("format").asText()) || meta.path("version").asInt() != VERSION) {
            throw new BadInputException("classifier " + source + ": expected a " + FORMAT + " version " + VERSION + " file with a meta.json");
        }
        if (!dataset.equals(meta.path("dataset").asText())) {
            throw new BadInputException("classifier " + source + " was trained on " + meta.path("dataset").asText("?")
                    + ", not on " + dataset + ": its scores would mean nothing here");
        }
        JsonNode sh = meta.path("shape");
        ImageShape shape = new ImageShape(sh.path(0).asInt(1), sh.path(1).asInt(1), sh.path(2).asInt(1));
        NDManager manager = NDManager.newBaseManager();
        try {
            LeNet net = new LeNet(manager, shape, meta.path("classes").asInt(10));
            for (Param p : net.params()) {
                byte[] b = tensors.get(p.name());
                if (b == null || b.length != p.size() * 4) {
                    throw new BadInputException("classifier " + source + ": tensor " + p.name() + " is missing or has "
                            + (b == null ? 0 : b.length) + " bytes, expected " + p.size() * 4 + " (truncated, or another architecture)");
                }
                float[] v = new float[(int) p.size()];
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                for (float f : v) {
                    if (!Float.isFinite(f)) {
                        throw new BadInputException("classifier " + source + ": tensor " + p.name() + " holds a non-finite value");
                    }
                }
                dev.gantry.nn.Tensors.setValues(p.array(), v);
            }
            return new FeatureNet(manager, net, sha256(bytes), meta, source);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Writes a trained network with its metadata, atomically; returns the file's SHA-256. */
    public static String save(LeNet net, ObjectNode meta, Path file) throws IOException {
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        var shape = meta.putArray("shape");
        shape.add(net.shape().channels()).add(net.shape().height()).add(net.shape().width());
        meta.put("classes", net.classes());
        meta.put("arch", "lenet");
        meta.put("features", LeNet.FEATURES);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "meta.json", new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
            for (Param p : net.params()) {
                float[] v = p.array().toFloatArray();
                ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(v);
                put(zip, "tensors/" + p.name(), buf.array());
            }
        }
        byte[] all = bytes.toByteArray();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        AtomicFile.write(file, out -> out.write(all));
        return sha256(all);
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setLastModifiedTime(FileTime.fromMillis(0));
        e.setCreationTime(FileTime.fromMillis(0));
        e.setLastAccessTime(FileTime.fromMillis(0));
        e.setTime(0);
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String sha256() {
        return sha256;
    }

    public JsonNode meta() {
        return meta;
    }

    /** Where the weights came from, for the record of a score. */
    public String source() {
        return source;
    }

    public ImageShape shape() {
        return net.shape();
    }

    public int classes() {
        return net.classes();
    }

    /** Penultimate features [n, 128] of images [n, C·H·W]. */
    public float[] features(float[] images, int n) {
        return pass(net, manager, images, n, true, false, false)[0];
    }

    /** Features [n, space.width()] of images [n, C·H·W] in the given space. */
    public float[] features(float[] images, int n, FeatureSpace space) {
        float[][] all = pass(net, manager, images, n, space == FeatureSpace.PENULTIMATE, space == FeatureSpace.POOLED, false);
        return all[space.ordinal()];
    }

    /** Class probabilities [n, classes] of images [n, C·H·W]. */
    public float[] probabilities(float[] images, int n) {
        return pass(net, manager, images, n, false, false, true)[2];
    }

    /**
     * Features [n, 128] and class probabilities [n, classes] of images [n, C·H·W] from one pass.
     *
     * @return {features, probabilities}
     */
    public float[][] featuresAndProbabilities(float[] images, int n) {
        float[][] all = pass(net, manager, images, n, true, false, true);
        return new float[][] {all[0], all[2]};
    }

    /**
     * Everything a metric can ask of images [n, C·H·W], from one pass: {penultimate features [n,
     * 128], pooled features [n, 64], class probabilities [n, classes]}.
     */
    public float[][] all(float[] images, int n) {
        return pass(net, manager, images, n, true, true, true);
    }

    /** The argmax class of each image. */
    static int[] predict(LeNet net, NDManager manager, float[] images, int n) {
        float[] p = pass(net, manager, images, n, false, false, true)[2];
        int k = net.classes();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[i * k + c] > p[i * k + best]) best = c;
            }
            out[i] = best;
        }
        return out;
    }

    /** One evaluation pass in chunks of 500: {penultimate features, pooled features, probabilities}, each null unless asked for. */
    private static float[][] pass(LeNet net, NDManager manager, float[] images, int n, boolean wantFeatures, boolean wantPooled,
                                  boolean wantProbabilities) {
        ImageShape s = net.shape();
        int d = s.dim();
        if ((long) n * d != images.length) {
            throw new BadInputException("the classifier takes images of " + s + " (" + d + " values each); got "
                    + images.length + " values for " + n + " images");
        }
        int k = net.classes();
        int fw = LeNet.FEATURES;
        int pw = LeNet.POOLED_FEATURES;
        float[] f = wantFeatures ? new float[n * fw] : null;
        float[] pooled = wantPooled ? new float[n * pw] : null;
        float[] p = wantProbabilities ? new float[n * k] : null;
        int chunk = 500;
        for (int start = 0; start < n; start += chunk) {
            int m = Math.min(chunk, n - start);
            try (NDManager sm = manager.newSubManager()) {
                float[] part = java.util.Arrays.copyOfRange(images, start * d, (start + m) * d);
                NDArray x = sm.create(part, new Shape(m, s.channels(), s.height(), s.width()));   // [m, C, H, W]
                NDArray[] both = net.bothFeatures(x);                                             // [m, 128], [m, 64]
                if (f != null) {
                    System.arraycopy(both[0].toFloatArray(), 0, f, start * fw, m * fw);
                }
                if (pooled != null) {
                    System.arraycopy(both[1].toFloatArray(), 0, pooled, start * pw, m * pw);
                }
                if (p != null) {
                    System.arraycopy(net.head(both[0]).softmax(1).toFloatArray(), 0, p, start * k, m * k);   // [m, K]
                }
            }
        }
        return new float[][] {f, pooled, p};
    }

    /** A network held in memory while it trains, wrapped for scoring (no checksum). */
    static FeatureNet of(LeNet net, NDManager manager) {
        return new FeatureNet(manager, net, "", null, "in memory");
    }

    @Override
    public void close() {
        manager.close();
    }
}
