package dev.gantry.nn;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Gantry's native kernels ({@code src/main/c/gantry_kernels.c}): the elementwise passes of the
 * paper-mlp step fused into single loops, and the step's matrix products through the BLAS the
 * engine itself uses (MKL's {@code sgemm_} in the loaded {@code libtorch_cpu.so}).
 *
 * <p>Every array is an address: of a direct buffer ({@link #floats}, {@link #bytes}) or of an
 * engine tensor's own memory ({@link #address(NDArray)}). All matrices are row-major. The library
 * is built by {@code mvn package} when gcc is on the machine; {@link #available()} says whether it
 * loaded, and {@link #unavailableReason()} why not.
 */
public final class Kernels {

    private static final String RESOURCE = "/native/linux-x86_64/libgantrykernels.so";
    private static final String REASON = load();

    private Kernels() {}

    private static String load() {
        try {
            ai.djl.engine.Engine.getEngine("PyTorch");                   // libtorch_cpu.so must be in the process first
            URL url = Kernels.class.getResource(RESOURCE);
            if (url == null) {
                return "the native kernels were not built (no gcc when Gantry was built: src/main/c/build.sh)";
            }
            Path lib;
            if ("file".equals(url.getProtocol())) {
                lib = Path.of(url.toURI());
            } else {
                lib = Files.createTempFile("gantrykernels", ".so");
                lib.toFile().deleteOnExit();
                try (InputStream in = url.openStream()) {
                    Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.load(lib.toAbsolutePath().toString());
            return init0();
        } catch (UnsatisfiedLinkError | IOException | java.net.URISyntaxException | RuntimeException e) {
            return "the native kernels did not load: " + e.getMessage();
        }
    }

    /** Whether the kernels loaded and found the engine's BLAS. */
    public static boolean available() {
        return REASON == null;
    }

    /** Why the kernels are not available, or null when they are. */
    public static String unavailableReason() {
        return REASON;
    }

    /** A zeroed direct buffer of {@code n} floats in native order. */
    public static ByteBuffer floats(long n) {
        return bytes(Math.multiplyExact(n, 4L));
    }

    /** A zeroed direct buffer of {@code n} bytes, 64-byte aligned. */
    public static ByteBuffer bytes(long n) {
        if (n > Integer.MAX_VALUE - 256) {
            throw new IllegalArgumentException("a kernel buffer of " + n + " bytes is too large");
        }
        int rounded = (int) ((n + 63) / 64 * 64);
        // The aligned part of rounded + 64 bytes holds at least rounded bytes: keep the first n.
        ByteBuffer aligned = ByteBuffer.allocateDirect(rounded + 64).alignedSlice(64);
        return aligned.limit((int) n).slice().order(ByteOrder.nativeOrder());
    }

    /**
     * The address of a contiguous float32 tensor's memory. The tensor must stay alive, and keep its
     * storage (in-place updates do), while the address is used.
     */
    public static long address(NDArray a) {
        if (a.getDataType() != ai.djl.ndarray.types.DataType.FLOAT32) {
            throw new IllegalArgumentException(a.getName() + ": the kernels take float32, not " + a.getDataType());
        }
        ByteBuffer view = a.toByteBuffer(true);
        if (!view.isDirect()) {
            throw new IllegalStateException(a.getName() + ": the engine gave a copy, not its memory (a non-contiguous tensor?)");
        }
        return address(view);
    }

    private static native String init0();

    /** The address of a direct buffer. */
    public static native long address(ByteBuffer direct);

    /**
     * C[m, n] = alpha · op(A) · op(B) + beta · C, where op(A) is [m, k] (A is stored [k, m] when
     * {@code ta}) and op(B) is [k, n] (B stored [n, k] when {@code tb}); ld* are the row strides.
     */
    public static native void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, long a, int lda,
                                   long b, int ldb, float beta, long c, int ldc);

    /** y += x over n floats (BLAS saxpy). */
    public static native void addTo(long y, long x, int n);

    /** dst = src · mask(u), the engine's inverted-dropout factor (u &lt; keep) / keep; u = 0: a copy. */
    public static native void dropout(long dst, long src, long u, float keep, int n);

    /** g = g · mask(u) in place; u = 0: nothing. */
    public static native void dropoutInPlace(long g, long u, float keep, int n);

    /** c = relu(c + bias) over [rows, cols], in place. */
    public static native void biasRelu(long c, long bias, int rows, int cols);

    /** c = sigmoid(c + bias) over [rows, cols], in place. */
    public static native void biasSigmoid(long c, long bias, int rows, int cols);

    /**
     * {@code n} uniform draws in [0, 1) (multiples of 2⁻²⁴) into {@code dst}: splitmix64's sequence
     * from state {@code key}, two draws a 64-bit word. The same key gives the same draws.
     */
    public static native void uniform(long dst, long n, long key);

    /** c = c + bias over [rows, cols], in place. */
    public static native void biasAdd(long c, long bias, int rows, int cols);

    /**
     * The maximum over each unit's pieces of z + bias ([rows, units·pieces]) into out [rows, units],
     * times the next layer's dropout factor of u (0: none); idx [rows, units] (bytes) gets each
     * unit's first winning piece.
     */
    public static native void maxout(long z, long bias, int rows, int units, int pieces, long out, long idx, long u, float keep);

    /** A one-output layer: out[r] = Σ_j x[r, j] · w[j] + b. */
    public static native void dot(long x, long weight, long bias, int rows, int cols, long out);

    /**
     * Back through a one-output layer and the dropout before it: gin[r, j] = g[r] · w[j] · mask(u[r, j]);
     * when gw ≠ 0 also the layer's gradients gw[j] = Σ_r g[r] · x[r, j] and gb = Σ_r g[r].
     */
    public static native void dotBackward(long g, long weight, long u, float keep, int rows, int cols, long gin,
                                          long x, long gw, long gb);

    /** Back through a maxout's maximum: gh [rows, units] routed to each unit's winning piece of gz; gb ≠ 0 gets gz's column sums. */
    public static native void maxoutBackward(long gh, long idx, int rows, int units, int pieces, long gz, long gb);

    /** Back through a ReLU with output h: g = g · (h &gt; 0) in place; gb = its column sums. */
    public static native void reluBackward(long g, long h, int rows, int cols, long gb);

    /** Back through the input dropout (u, 0: none) and a sigmoid output s (when {@code sigmoid}): in place; gb = column sums. */
    public static native void outputBackward(long g, long u, float keep, long s, boolean sigmoid, int rows, int cols, long gb);

    /** SGD with momentum as the engine's passes do it: v = v·μ − g·lr; p = p + v. */
    public static native void sgd(long p, long v, long g, float mu, float lr, int n);

    /** Σ x², in double. */
    public static native double sumOfSquares(long x, int n);

    /**
     * Batch normalisation (training: the batch's statistics, folded into the running averages with
     * momentum {@code mom}) and ReLU, in place on c [rows, cols] after adding {@code bias}; writes x̂
     * [rows, cols] and √(ε + var) [cols] for {@link #batchNormReluBackward}.
     */
    public static native void batchNormRelu(long c, long bias, long gamma, long beta, long runMean, long runVar, int rows, int cols,
                                            float mom, float eps, long xhat, long std);

    /**
     * In place: g [rows, cols] at the ReLU's output h to the gradient at the dense layer's output; the
     * column sums give ∂γ, ∂β and the dense layer's bias gradient.
     */
    public static native void batchNormReluBackward(long g, long h, long xhat, long std, long gamma, int rows, int cols,
                                                    long gGamma, long gBeta, long gBias);

    /**
     * Adam on [n] values in place (p, m, v from g): c1 = 1 − β1, c2 = 1 − β2, root2 = √(1 − β2ᵗ),
     * scale = lr / (1 − β1ᵗ).
     */
    public static native void adam(long p, long m, long v, long g, int n, float b1, float c1, float b2, float c2, float root2,
                                   float eps, float scale);
}
