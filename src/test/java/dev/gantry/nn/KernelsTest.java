package dev.gantry.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native kernels against plain Java loops and the engine's own operations, on random inputs. */
class KernelsTest {

    private final SplittableRandom rng = new SplittableRandom(7);

    @BeforeAll
    static void kernelsBuilt() {
        assumeTrue(Kernels.available() || System.getenv("GANTRY_REQUIRE_NATIVE") == null,
                () -> "native kernels: " + Kernels.unavailableReason());
        assertThat(Kernels.available()).as("native kernels: %s", Kernels.unavailableReason()).isTrue();
    }

    private float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-1, 1);
        }
        return v;
    }

    private static ByteBuffer buffer(float[] v) {
        ByteBuffer b = Kernels.floats(v.length);
        b.asFloatBuffer().put(v);
        return b;
    }

    private static float[] read(ByteBuffer b, int n) {
        float[] v = new float[n];
        b.asFloatBuffer().get(v);
        return v;
    }

    @Test
    void buffersAreAlignedAndHoldWhatWasAsked() {
        for (int n : new int[] {1, 7, 100, 1201}) {
            ByteBuffer b = Kernels.floats(n);
            assertThat(b.capacity()).isEqualTo(4 * n);
            assertThat(Kernels.address(b) % 64).isZero();
        }
    }

    @Test
    void gemmIsTheRowMajorProductForEveryLayout() {
        int m = 5, n = 7, k = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = random(m * k);
                float[] b = random(k * n);
                float[] c = random(m * n);
                float alpha = -0.3f;
                float beta = 0.7f;
                ByteBuffer cb = buffer(c);
                Kernels.gemm(ta, tb, m, n, k, alpha, Kernels.address(buffer(a)), ta ? m : k, Kernels.address(buffer(b)), tb ? k : n,
                        beta, Kernels.address(cb), n);
                float[] got = read(cb, m * n);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int l = 0; l < k; l++) {
                            s += (double) (ta ? a[l * m + i] : a[i * k + l]) * (tb ? b[j * k + l] : b[l * n + j]);
                        }
                        double want = alpha * s + beta * c[i * n + j];
                        assertThat((double) got[i * n + j]).as("ta %s tb %s (%d, %d)", ta, tb, i, j).isCloseTo(want,
                                org.assertj.core.data.Offset.offset(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void aTensorsAddressIsItsOwnMemory() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            ByteBuffer x = buffer(new float[] {10, 20, 30, 40});
            Kernels.addTo(Kernels.address(t), Kernels.address(x), 4);
            assertThat(t.toFloatArray()).containsExactly(11, 22, 33, 44);
        }
    }

    @Test
    void dropoutIsTheEnginesMaskBitForBit() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (double keep : new double[] {0.8, 0.5, 0.3}) {
                NDArray u = m.randomUniform(0f, 1f, new Shape(40, 30));
                NDArray x = m.create(random(1200), new Shape(40, 30));
                NDArray mask = u.lt(keep).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).divi((float) keep);
                float[] want = x.mul(mask).toFloatArray();
                ByteBuffer out = Kernels.floats(1200);
                Kernels.dropout(Kernels.address(out), Kernels.address(x), Kernels.address(u), (float) keep, 1200);
                assertThat(read(out, 1200)).as("keep %s", keep).containsExactly(want);
                Kernels.dropoutInPlace(Kernels.address(x), Kernels.address(u), (float) keep, 1200);
                assertThat(x.toFloatArray()).containsExactly(want);
            }
        }
    }

    @Test
    void maxoutPicksTheLargestPieceAndRoutesItsGradient() {
        int rows = 4, units = 3, pieces = 5;
        float[] z = random(rows * units * pieces);
        float[] bias = random(units * pieces);
        ByteBuffer out = Kernels.floats(rows * units);
        ByteBuffer idx = Kernels.bytes(rows * units);
        Kernels.maxout(Kernels.address(buffer(z)), Kernels.address(buffer(bias)), rows, units, pieces, Kernels.address(out),
                Kernels.address(idx), 0, 1f);
        float[] h = read(out, rows * units);
        float[] gh = random(rows * units);
        ByteBuffer gz = buffer(random(rows * units * pieces));             // garbage: the kernel must overwrite all of it
        ByteBuffer gb = buffer(random(units * pieces));
        Kernels.maxoutBackward(Kernels.address(buffer(gh)), Kernels.address(idx), rows, units, pieces, Kernels.address(gz),
                Kernels.address(gb));
        float[] g = read(gz, rows * units * pieces);
        float[] biasGrad = new float[units * pieces];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < units; j++) {
                float best = Float.NEGATIVE_INFINITY;
                int arg = -1;
                for (int p = 0; p < pieces; p++) {
                    float v = z[(r * units + j) * pieces + p] + bias[j * pieces + p];
                    if (v > best) {
                        best = v;
                        arg = p;
                    }
                }
                assertThat(h[r * units + j]).isEqualTo(best);
                assertThat(idx.get(r * units + j)).isEqualTo((byte) arg);
                for (int p = 0; p < pieces; p++) {
                    assertThat(g[(r * units + j) * pieces + p]).isEqualTo(p == arg ? gh[r * units + j] : 0f);
                }
                biasGrad[j * pieces + arg] += gh[r * units + j];
            }
        }
        float[] gotBias = read(gb, units * pieces);
        for (int i = 0; i < biasGrad.length; i++) {
            assertThat(gotBias[i]).isCloseTo(biasGrad[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void activationsAndTheirBackwardPassesMatchTheirDefinitions() {
        int rows = 3, cols = 6;
        float[] c = random(rows * cols);
        float[] bias = random(cols);
        ByteBuffer relu = buffer(c);
        Kernels.biasRelu(Kernels.address(relu), Kernels.address(buffer(bias)), rows, cols);
        ByteBuffer sig = buffer(c);
        Kernels.biasSigmoid(Kernels.address(sig), Kernels.address(buffer(bias)), rows, cols);
        float[] r = read(relu, rows * cols);
        float[] s = read(sig, rows * cols);
        float[] g = random(rows * cols);
        ByteBuffer gRelu = buffer(g);
        ByteBuffer gbRelu = Kernels.floats(cols);
        Kernels.reluBackward(Kernels.address(gRelu), Kernels.address(relu), rows, cols, Kernels.address(gbRelu));
        ByteBuffer gSig = buffer(g);
        ByteBuffer gbSig = Kernels.floats(cols);
        Kernels.outputBackward(Kernels.address(gSig), 0, 1f, Kernels.address(sig), true, rows, cols, Kernels.address(gbSig));
        float[] gr = read(gRelu, rows * cols);
        float[] gs = read(gSig, rows * cols);
        float[] sumRelu = new float[cols];
        float[] sumSig = new float[cols];
        for (int i = 0; i < rows * cols; i++) {
            float v = c[i] + bias[i % cols];
            assertThat(r[i]).isEqualTo(Math.max(v, 0f));
            assertThat((double) s[i]).isCloseTo(1 / (1 + Math.exp(-v)), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(gr[i]).isEqualTo(v > 0 ? g[i] : 0f);
            assertThat(gs[i]).isEqualTo(g[i] * (s[i] - s[i] * s[i]));
            sumRelu[i % cols] += gr[i];
            sumSig[i % cols] += gs[i];
        }
        assertThat(read(gbRelu, cols)).containsExactly(sumRelu);
        assertThat(read(gbSig, cols)).containsExactly(sumSig);
    }

    @Test
    void theLogitLayerAndItsGradients() {
        int rows = 4, cols = 5;
        float[] x = random(rows * cols);
        float[] w = random(cols);
        float[] g = random(rows);
        ByteBuffer out = Kernels.floats(rows);
        Kernels.dot(Kernels.address(buffer(x)), Kernels.address(buffer(w)), Kernels.address(buffer(new float[] {0.25f})), rows, cols,
                Kernels.address(out));
        ByteBuffer gin = Kernels.floats(rows * cols);
        ByteBuffer gw = buffer(random(cols));
        ByteBuffer gb = Kernels.floats(1);
        Kernels.dotBackward(Kernels.address(buffer(g)), Kernels.address(buffer(w)), 0, 1f, rows, cols, Kernels.address(gin),
                Kernels.address(buffer(x)), Kernels.address(gw), Kernels.address(gb));
        float[] logits = read(out, rows);
        float[] gi = read(gin, rows * cols);
        float[] gws = read(gw, cols);
        double sb = 0;
        for (int r = 0; r < rows; r++) {
            double s = 0.25;
            for (int j = 0; j < cols; j++) {
                s += (double) x[r * cols + j] * w[j];
                assertThat(gi[r * cols + j]).isEqualTo(g[r] * w[j]);
            }
            assertThat((double) logits[r]).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-5));
            sb += g[r];
        }
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
                s += (double) g[r] * x[r * cols + j];
            }
            assertThat((double) gws[j]).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat((double) read(gb, 1)[0]).isCloseTo(sb, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void sgdIsTheEnginesPassesBitForBit() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] p0 = random(500);
            float[] v0 = random(500);
            float[] g0 = random(500);
            float mu = 0.7f;
            float lr = 0.1f / 1.000004f;
            NDArray p = m.create(p0);
            NDArray v = m.create(v0);
            NDArray g = m.create(g0);
            v.muli(mu).subi(g.muli(lr));
            p.addi(v);
            ByteBuffer pb = buffer(p0);
            ByteBuffer vb = buffer(v0);
            Kernels.sgd(Kernels.address(pb), Kernels.address(vb), Kernels.address(buffer(g0)), mu, lr, 500);
            assertThat(read(vb, 500)).containsExactly(v.toFloatArray());
            assertThat(read(pb, 500)).containsExactly(p.toFloatArray());
            assertThat(Kernels.sumOfSquares(Kernels.address(buffer(new float[] {3, 4})), 2)).isEqualTo(25.0);
        }
    }

    @Test
    void sigmoidIsWithinAFewUlpOfTheExactValueOverTheWholeRange() {
        // From where exp(-v) overflows float to where the sigmoid is 1 in float; -16 is a border pixel's bias.
        int n = 20001;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = -100f + 200f * i / (n - 1);
        }
        v[n / 2] = -16f;
        ByteBuffer c = buffer(v);
        Kernels.biasSigmoid(Kernels.address(c), Kernels.address(Kernels.floats(n)), 1, n);
        float[] s = read(c, n);
        for (int i = 0; i < n; i++) {
            double exact = 1 / (1 + Math.exp(-(double) v[i]));
            float f = (float) exact;
            assertThat(Math.abs(s[i] - exact)).as("sigmoid(%s)", v[i]).isLessThanOrEqualTo(4 * Math.ulp(f) + 1e-38);
        }
    }

    @Test
    void uniformDrawsAreSplitmix64AndLookUniform() {
        int n = 200_001;                                 // odd: the last draw comes from a word of its own
        ByteBuffer a = Kernels.floats(n);
        ByteBuffer b = Kernels.floats(n);
        Kernels.uniform(Kernels.address(a), n, 42L);
        Kernels.uniform(Kernels.address(b), n, 42L);
        float[] u = read(a, n);
        assertThat(read(b, n)).isEqualTo(u);
        // An independent computation: splitmix64 in Java, two 24-bit draws a word.
        long state = 42L;
        for (int j = 0; 2 * j < n; j++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            assertThat(u[2 * j]).isEqualTo((z >>> 40) * 0x1p-24f);
            if (2 * j + 1 < n) {
                assertThat(u[2 * j + 1]).isEqualTo(((z & 0xFFFFFFFFL) >>> 8) * 0x1p-24f);
            }
        }
        double sum = 0;
        double sq = 0;
        double lag = 0;
        int[] bins = new int[10];
        for (int i = 0; i < n; i++) {
            assertThat(u[i]).isBetween(0f, Math.nextDown(1f));
            sum += u[i];
            sq += (u[i] - 0.5) * (u[i] - 0.5);
            if (i > 0) {
                lag += (u[i] - 0.5) * (u[i - 1] - 0.5);
            }
            bins[(int) (u[i] * 10)]++;
        }
        // Mean 1/2 and variance 1/12 to ~5 standard errors; neighbours (the two halves of one word) uncorrelated.
        assertThat(sum / n).isCloseTo(0.5, org.assertj.core.data.Offset.offset(5 * Math.sqrt(1.0 / 12 / n)));
        assertThat(sq / n).isCloseTo(1.0 / 12, org.assertj.core.data.Offset.offset(5 * Math.sqrt(1.0 / 180 / n)));
        assertThat(lag / (n - 1) * 12).isCloseTo(0, org.assertj.core.data.Offset.offset(5 / Math.sqrt(n)));
        double chi2 = 0;
        for (int count : bins) {
            chi2 += Math.pow(count - n / 10.0, 2) / (n / 10.0);
        }
        assertThat(chi2).as("chi-square, 9 degrees of freedom").isLessThan(33.7);   // p = 1e-4
        Kernels.uniform(Kernels.address(b), n, 43L);
        assertThat(read(b, n)).isNotEqualTo(u);
    }

    @Test
    void sumOfSquaresIsTheDoubleSum() {
        for (int n : new int[] {0, 1, 7, 8, 9, 1001}) {
            float[] v = random(n);
            double expected = 0;
            for (float x : v) {
                expected += (double) x * x;
            }
            double got = Kernels.sumOfSquares(Kernels.address(buffer(v.length == 0 ? new float[1] : v)), n);
            assertThat(got).as("n = %d", n).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12 * (1 + expected)));
        }
    }
}
