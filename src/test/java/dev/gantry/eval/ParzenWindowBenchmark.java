package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Full-size timing of the Parzen protocol: 10,000 samples, the 10-value σ grid on 1,000 validation
 * points, then 10,000 test points, d = 784. Off by default; run with {@code -Dgantry.bench=true}
 * (surefire pins torch to one thread) or as a main:
 *
 * <pre>
 *   java -Dai.djl.offline=true -cp target/test-classes:target/classes:$(cat cp.txt) \
 *       dev.gantry.eval.ParzenWindowBenchmark [FLOAT32|FLOAT64]
 * </pre>
 */
class ParzenWindowBenchmark {

    @Test
    @EnabledIfSystemProperty(named = "gantry.bench", matches = "true")
    void fullSizeEvaluation() {
        ParzenWindow.Result result = run(DataType.FLOAT32);
        assertThat(result.mean()).isFinite();
    }

    public static void main(String[] args) {
        run(args.length > 0 ? DataType.valueOf(args[0]) : DataType.FLOAT32);
    }

    static ParzenWindow.Result run(DataType type) {
        int n = 10_000, mValid = 1_000, mTest = 10_000, d = 784;
        Random rng = new Random(2014);
        float[] samples = ParzenWindowTest.uniform(rng, n * d, 1f);
        float[] valid = ParzenWindowTest.uniform(rng, mValid * d, 1f);
        float[] test = ParzenWindowTest.uniform(rng, mTest * d, 1f);
        try (NDManager manager = NDManager.newBaseManager()) {
            long t0 = System.nanoTime();
            try (ParzenWindow parzen = new ParzenWindow(
                    manager, samples, n, d, ParzenWindow.defaultChunkRows(n, d), type)) {
                long t1 = System.nanoTime();
                ParzenWindow.Result result =
                        parzen.evaluate(valid, mValid, test, mTest, ParzenWindow.paperSigmaGrid());
                long t2 = System.nanoTime();
                System.out.printf(
                        "%s: load %.2f s, evaluate %.2f s (%d cores, torch threads %s),"
                                + " mean %.6f%n%s%n",
                        type, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("ai.djl.pytorch.num_threads", "default"),
                        result.mean(), result);
                return result;
            }
        }
    }
}
