package dev.gantry.train;

import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import dev.gantry.models.Models;
import dev.gantry.models.TensorSize;
import dev.gantry.optim.Optimizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The memory a training run's sizes imply, checked from the config and the data's image shape
 * before anything is loaded or allocated (issue #12, finding 3): sizes near 10^9 are refused with
 * exit 2 naming the key and the limit, rather than ending in OutOfMemoryError, a negative array
 * size, or a native allocation failure.
 *
 * <p>The limits are those of the arrays the sizes become:
 * <ul>
 *   <li>each tensor of G and D at most {@link Models#MAX_TENSOR_VALUES} values (a checkpoint keeps a
 *       tensor in one Java byte array);</li>
 *   <li>the training images, {@code data.train_size} × C·H·W values, are one Java {@code float[]}:
 *       at most {@link #MAX_ARRAY} values;</li>
 *   <li>a minibatch, {@code train.batch_size} × C·H·W values, is copied into one {@code float[]}
 *       and one direct ByteBuffer of 4 bytes a value: at most {@link Models#MAX_TENSOR_VALUES};</li>
 *   <li>what the Java heap must hold at once, at least: the training images with their labels and
 *       an epoch's order (4 bytes each), the minibatch buffer, and a checkpoint restore, which
 *       decodes every tensor of G, D and both optimizers before it sets any (4 bytes a value, plus
 *       the raw bytes of the largest) — against this JVM's maximum heap. This is a lower bound:
 *       it refuses what cannot fit, it does not promise that the rest does.</li>
 * </ul>
 * Not bounded here: activations in the engine's native memory (batch × layer width per layer).
 */
public final class Footprint {

    /** Most elements of one Java array (HotSpot allocates at most {@code Integer.MAX_VALUE − 8}). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

    private Footprint() {}

    /**
     * Checks a run's sizes against the limits above and {@code maxHeapBytes}.
     *
     * @param data the shape of the training images (known before they are loaded)
     * @param maxHeapBytes the JVM's maximum heap ({@link Runtime#maxMemory()}); {@link Long#MAX_VALUE} for none
     * @throws BadInputException naming each key whose size does not fit and the limit it exceeds
     */
    public static void check(RunConfig config, ImageShape data, long maxHeapBytes) {
        List<TensorSize> sizes = Models.checkSizes(config.model(), data);
        List<String> errors = new ArrayList<>();
        long dim = data.dim();
        long n = config.data().trainSize();
        long b = config.train().batchSize();
        long pixels = TensorSize.times(n, dim);
        if (pixels > MAX_ARRAY) {
            errors.add(String.format("data.train_size = %d: %,d images of C·H·W = %d values are %,d values, more than the %,d "
                    + "one Java array holds (the training images are kept in one); at most data.train_size = %,d for %s images",
                    n, n, dim, pixels, MAX_ARRAY, MAX_ARRAY / dim, data));
        }
        long batch = TensorSize.times(b, dim);
        if (batch > Models.MAX_TENSOR_VALUES) {
            errors.add(String.format("train.batch_size = %d: a minibatch of %,d × %d values is %,d values, more than the %,d "
                    + "that fit one tensor (a minibatch is copied into one buffer of 4 bytes a value); at most train.batch_size = %,d",
                    b, b, dim, batch, Models.MAX_TENSOR_VALUES, Models.MAX_TENSOR_VALUES / dim));
        }
        if (!errors.isEmpty()) {
            throw new BadInputException("invalid config: " + String.join("; ", errors));
        }
        long dataBytes = TensorSize.times(n, TensorSize.plus(TensorSize.times(dim, Float.BYTES), 2 * Integer.BYTES));
        long batchBytes = TensorSize.times(batch, Float.BYTES);
        int slots = Optimizer.slotsPerParameter(config.optim());
        long state = 0;
        boolean averagedD = config.train().dAverage() > 0;   // one more copy of D's parameters
        boolean averagedG = config.train().gAverage() > 0;   // and of G's
        for (TensorSize t : sizes) {
            boolean averaged = t.name().startsWith("d.") ? averagedD : t.name().startsWith("g.") && averagedG;
            int copies = t.parameter() ? 1 + slots + (averaged ? 1 : 0) : 1;
            state = TensorSize.plus(state, TensorSize.times(t.total(), copies));
        }
        TensorSize largest = sizes.stream().max(Comparator.comparingLong(TensorSize::elements)).orElseThrow();
        long checkpointBytes = TensorSize.times(TensorSize.plus(state, largest.elements()), Float.BYTES);
        long need = TensorSize.plus(TensorSize.plus(dataBytes, batchBytes), checkpointBytes);
        if (need > maxHeapBytes) {
            TensorSize heaviest = sizes.stream().max(Comparator.comparingLong(TensorSize::total)).orElseThrow();
            throw new BadInputException(String.format("invalid config: the run needs at least %s of Java heap, more than this JVM's "
                    + "maximum of %s (set with -Xmx; the gantry launcher reads GANTRY_JAVA_OPTS): data.train_size = %d images "
                    + "of %d values with labels and order take %s; G, D and %s state for a checkpoint restore, %,d values, "
                    + "take %s, the most in %s (%s%s)",
                    mib(need), mib(maxHeapBytes), n, dim, mib(dataBytes), config.optim().name(), state, mib(checkpointBytes),
                    heaviest.name(), heaviest.keys(), heaviest.copies() > 1
                            ? String.format(", %,d tensors by %s = %s", heaviest.copies(), heaviest.copiesKey(), copiesValue(config, heaviest)) : ""));
        }
    }

    /** {@link #check} against this JVM's maximum heap. */
    public static void check(RunConfig config, ImageShape data) {
        check(config, data, Runtime.getRuntime().maxMemory());
    }

    /** The value of the model key that sets how many tensors of {@code t}'s size there are. */
    private static String copiesValue(RunConfig config, TensorSize t) {
        return dev.gantry.config.ConfigLoader.mapper().valueToTree(config.model()).path(t.copiesKey().replace("model.", "")).asText();
    }

    private static String mib(long bytes) {
        return bytes == Long.MAX_VALUE ? "more than 2^63 bytes" : String.format("%,d MiB", bytes >> 20);
    }
}
