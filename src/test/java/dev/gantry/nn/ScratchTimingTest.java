package dev.gantry.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ScratchTimingTest {
    interface R { void run(); }
    static double time(String name, int reps, R r) {
        for (int i = 0; i < 5; i++) r.run();
        long t = System.nanoTime();
        for (int i = 0; i < reps; i++) r.run();
        double ms = (System.nanoTime() - t) / 1e6 / reps;
        System.out.printf("TIMING %-40s %8.4f ms%n", name, ms);
        return ms;
    }
    @Test
    void timing() {
        long a = Kernels.address(Kernels.floats(1200 * 1200));
        long v = Kernels.address(Kernels.floats(1200 * 1200));
        long x = Kernels.address(Kernels.floats(200 * 1200));
        long y = Kernels.address(Kernels.floats(200 * 1200));
        long u = Kernels.address(Kernels.floats(200 * 1200));
        long bias = Kernels.address(Kernels.floats(1200));
        long idx = Kernels.address(Kernels.bytes(200 * 240));
        long h = Kernels.address(Kernels.floats(200 * 240));
        time("addTo 1.44M", 200, () -> Kernels.addTo(a, v, 1200 * 1200));
        time("sgd 1.44M", 200, () -> Kernels.sgd(a, v, x, 0.5f, 0.1f, 200 * 1200));
        time("dropout 200x784", 500, () -> Kernels.dropout(y, x, u, 0.8f, 200 * 784));
        time("dropoutInPlace 200x1200", 500, () -> Kernels.dropoutInPlace(y, u, 0.5f, 200 * 1200));
        time("biasRelu 100x1200", 500, () -> Kernels.biasRelu(y, bias, 100, 1200));
        time("biasSigmoid 100x784", 500, () -> Kernels.biasSigmoid(y, bias, 100, 784));
        time("maxout 100x240x5", 500, () -> Kernels.maxout(x, bias, 100, 240, 5, h, idx, u, 0.5f));
        time("maxoutBackward 200x240x5", 500, () -> Kernels.maxoutBackward(h, idx, 200, 240, 5, y, bias));
        time("sumOfSquares 1.44M", 200, () -> Kernels.sumOfSquares(a, 1200 * 1200));
        time("gemm NT 100x1200x1200", 100, () -> Kernels.gemm(false, true, 100, 1200, 1200, 1f, x, 1200, a, 1200, 0f, y, 1200));
        time("gemm TN 1200x1200 k100 beta0", 100, () -> Kernels.gemm(true, false, 1200, 1200, 100, 1f, x, 1200, y, 1200, 0f, a, 1200));
        time("gemm TN 1200x1200 k100 beta.5", 100, () -> Kernels.gemm(true, false, 1200, 1200, 100, -0.1f, x, 1200, y, 1200, 0.5f, a, 1200));
        try (NDManager m = NDManager.newBaseManager()) {
            time("engine randomUniform 253k", 100, () -> { try (NDManager s = m.newSubManager()) { s.randomUniform(0f, 1f, new Shape(253000)); } });
            time("engine randomUniform 6 calls", 100, () -> { try (NDManager s = m.newSubManager()) {
                for (int i = 0; i < 2; i++) { s.randomUniform(0f, 1f, new Shape(100, 784)); s.randomUniform(0f, 1f, new Shape(100, 240)); s.randomUniform(0f, 1f, new Shape(100, 240)); } } });
            var arr = m.zeros(new Shape(1200, 1200));
            time("address(NDArray)", 2000, () -> Kernels.address(arr));
        }
        long big1 = Kernels.address(Kernels.floats(2048 * 2048));
        long big2 = Kernels.address(Kernels.floats(2048 * 2048));
        long big3 = Kernels.address(Kernels.floats(2048 * 2048));
        double ms = time("gemm NN 2048^3", 10, () -> Kernels.gemm(false, false, 2048, 2048, 2048, 1f, big1, 2048, big2, 2048, 0f, big3, 2048));
        System.out.printf("TIMING peak-ish sgemm %.1f GFLOP/s%n", 2.0 * 2048 * 2048 * 2048 / ms / 1e6);
    }
}
