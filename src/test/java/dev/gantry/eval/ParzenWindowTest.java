package dev.gantry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.gantry.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParzenWindowTest {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double[] SIGMAS = {0.1, 0.2, 0.35, 1.0, 3.0};

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    // ---- closed forms on exactly representable inputs ------------------------------------------

    @Test
    void oneKernelGivesTheGaussianDensity() {
        float[] centre = {1f, 2f, 0.5f};
        float[] point = {2f, 0.5f, 0.5f}; // r² = 1 + 2.25 + 0 = 3.25
        double r2 = 3.25;
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            try (ParzenWindow parzen = new ParzenWindow(manager, centre, 1, 3, 16, type)) {
                double[][] ll = parzen.logLikelihoods(point, 1, SIGMAS);
                for (int s = 0; s < SIGMAS.length; s++) {
                    double sigma = SIGMAS[s];
                    double expected = -r2 / (2 * sigma * sigma)
                            - 3 * Math.log(sigma * Math.sqrt(2 * Math.PI));
                    assertThat(ll[s][0]).as("%s σ=%s", type, sigma)
                            .isCloseTo(expected, within(1e-12 * Math.abs(expected)));
                }
            }
        }
    }

    @Test
    void pointOnTheOnlyKernelGivesTheNormalisingConstant() {
        float[] centre = {0.5f, -1f, 3f, 0f};
        try (ParzenWindow parzen = new ParzenWindow(manager, centre, 1, 4)) {
            for (double sigma : SIGMAS) {
                double expected = -4 * Math.log(sigma * Math.sqrt(2 * Math.PI));
                assertThat(parzen.logLikelihoods(centre, 1, sigma)[0])
                        .isCloseTo(expected, within(1e-12 * Math.abs(expected)));
            }
        }
    }

    @Test
    void twoKernelsGiveTheLogMeanExpOfTheirTerms() {
        float[] centres = {0f, 0f, 3f, 1f}; // μ1 = (0,0), μ2 = (3,1)
        float[] point = {1f, 0.5f}; // r1² = 1.25, r2² = 4.25
        try (ParzenWindow parzen = new ParzenWindow(manager, centres, 2, 2)) {
            double[][] ll = parzen.logLikelihoods(point, 1, SIGMAS);
            for (int s = 0; s < SIGMAS.length; s++) {
                double sigma = SIGMAS[s];
                double a1 = -1.25 / (2 * sigma * sigma);
                double a2 = -4.25 / (2 * sigma * sigma); // a1 > a2
                double expected = a1 + Math.log((1 + Math.exp(a2 - a1)) / 2)
                        - 2 * Math.log(sigma * Math.sqrt(2 * Math.PI));
                assertThat(ll[s][0]).as("σ=%s", sigma)
                        .isCloseTo(expected, within(1e-12 * Math.abs(expected)));
            }
        }
    }

    // ---- agreement with an independent double-precision computation ---------------------------

    @Test
    void matchesDoubleLoopReferenceOnRandomData() {
        int n = 57, m = 33, d = 13;
        Random rng = new Random(11);
        float[] samples = uniform(rng, n * d, 1f);
        float[] points = uniform(rng, m * d, 1f);
        double[][] ref = reference(samples, n, points, m, d, SIGMAS);

        try (ParzenWindow f64 = new ParzenWindow(manager, samples, n, d, 10, DataType.FLOAT64);
                ParzenWindow f32 = new ParzenWindow(manager, samples, n, d)) {
            double[][] got64 = f64.logLikelihoods(points, m, SIGMAS);
            double[][] got32 = f32.logLikelihoods(points, m, SIGMAS);
            for (int s = 0; s < SIGMAS.length; s++) {
                double tol32 = float32Tolerance(samples, n, points, m, d, SIGMAS[s]);
                for (int i = 0; i < m; i++) {
                    double r = ref[s][i];
                    assertThat(got64[s][i]).as("f64 σ=%s point %d", SIGMAS[s], i)
                            .isCloseTo(r, within(1e-10 * Math.abs(r) + 1e-12));
                    assertThat(got32[s][i]).as("f32 σ=%s point %d", SIGMAS[s], i)
                            .isCloseTo(r, within(1e-9 * Math.abs(r) + tol32));
                    assertThat(got32[s][i]).as("f32 σ=%s point %d, relative", SIGMAS[s], i)
                            .isCloseTo(r, within(1e-5 * Math.abs(r)));
                }
            }
        }
    }

    @Test
    void stableWhenEveryExponentUnderflows() {
        // d = 784, σ = 0.1, squared distances ≈ 50: exponents ≈ −2500, exp() of each is 0.0
        int n = 40, m = 6, d = 784;
        Random rng = new Random(5);
        float[] samples = uniform(rng, n * d, 0.62f);
        float[] points = uniform(rng, m * d, 0.62f);
        double[] sigma = {0.1};
        double[][] ref = reference(samples, n, points, m, d, sigma);
        assertThat(Math.exp(-squaredDistance(points, 0, samples, 0, d) / 0.02)).isZero();

        try (ParzenWindow f64 = new ParzenWindow(manager, samples, n, d, 4, DataType.FLOAT64);
                ParzenWindow f32 = new ParzenWindow(manager, samples, n, d)) {
            double[] got64 = f64.logLikelihoods(points, m, 0.1);
            double[] got32 = f32.logLikelihoods(points, m, 0.1);
            double tol32 = float32Tolerance(samples, n, points, m, d, 0.1);
            for (int i = 0; i < m; i++) {
                assertThat(ref[0][i]).isFinite().isLessThan(-500);
                assertThat(got64[i]).isFinite()
                        .isCloseTo(ref[0][i], within(1e-10 * Math.abs(ref[0][i])));
                assertThat(got32[i]).isFinite()
                        .isCloseTo(ref[0][i], within(1e-9 * Math.abs(ref[0][i]) + tol32))
                        .isCloseTo(ref[0][i], within(1e-6 * Math.abs(ref[0][i])));
            }
        }
    }

    @Test
    void invariantToTheOrderOfTheSamples() {
        int n = 50, m = 20, d = 9;
        Random rng = new Random(3);
        float[] samples = uniform(rng, n * d, 1f);
        float[] points = uniform(rng, m * d, 1f);
        float[] shuffled = shuffleRows(samples, n, d, new Random(4));
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            try (ParzenWindow a = new ParzenWindow(manager, samples, n, d, 8, type);
                    ParzenWindow b = new ParzenWindow(manager, shuffled, n, d, 8, type)) {
                double[][] x = a.logLikelihoods(points, m, SIGMAS);
                double[][] y = b.logLikelihoods(points, m, SIGMAS);
                for (int s = 0; s < SIGMAS.length; s++) {
                    double tol = type == DataType.FLOAT32
                            ? float32Tolerance(samples, n, points, m, d, SIGMAS[s]) : 0;
                    for (int i = 0; i < m; i++) {
                        assertThat(y[s][i]).as("%s σ=%s point %d", type, SIGMAS[s], i)
                                .isCloseTo(x[s][i], within(1e-9 * Math.abs(x[s][i]) + tol));
                    }
                }
            }
        }
    }

    @Test
    void chunkSizeDoesNotChangeResults() {
        int n = 31, m = 45, d = 7;
        Random rng = new Random(8);
        float[] samples = uniform(rng, n * d, 2f);
        float[] points = uniform(rng, m * d, 2f);
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            double[][] whole;
            try (ParzenWindow p = new ParzenWindow(manager, samples, n, d, 1000, type)) {
                whole = p.logLikelihoods(points, m, SIGMAS);
            }
            for (int chunk : new int[] {1, 7, 44, 45}) {
                try (ParzenWindow p = new ParzenWindow(manager, samples, n, d, chunk, type)) {
                    double[][] chunked = p.logLikelihoods(points, m, SIGMAS);
                    for (int s = 0; s < SIGMAS.length; s++) {
                        double tol = type == DataType.FLOAT32
                                ? float32Tolerance(samples, n, points, m, d, SIGMAS[s]) : 0;
                        for (int i = 0; i < m; i++) {
                            assertThat(chunked[s][i])
                                    .as("%s chunk %d σ=%s", type, chunk, SIGMAS[s])
                                    .isCloseTo(whole[s][i],
                                            within(1e-12 * Math.abs(whole[s][i]) + tol));
                        }
                    }
                }
            }
        }
    }

    @Test
    void oneSigmaEqualsItsRowOfTheGrid() {
        int n = 20, m = 10, d = 5;
        Random rng = new Random(9);
        float[] samples = uniform(rng, n * d, 1f);
        float[] points = uniform(rng, m * d, 1f);
        try (ParzenWindow p = new ParzenWindow(manager, samples, n, d)) {
            double[][] grid = p.logLikelihoods(points, m, SIGMAS);
            for (int s = 0; s < SIGMAS.length; s++) {
                assertThat(p.logLikelihoods(points, m, SIGMAS[s])).containsExactly(grid[s]);
            }
        }
    }

    @Test
    void reportsProgressAfterEachChunk() {
        int n = 4, m = 33, d = 2;
        Random rng = new Random(1);
        List<Integer> done = new ArrayList<>();
        try (ParzenWindow p = new ParzenWindow(manager, uniform(rng, n * d, 1f), n, d, 10,
                DataType.FLOAT32)) {
            p.logLikelihoods(uniform(rng, m * d, 1f), m, SIGMAS, done::add);
            assertThat(done).containsExactly(10, 20, 30, 33);
            done.clear();
            p.evaluate(uniform(rng, 12 * d, 1f), 12, uniform(rng, 5 * d, 1f), 5, SIGMAS, done::add);
            assertThat(done).containsExactly(10, 12, 17);
        }
    }

    @Test
    void noPointsGiveEmptyRows() {
        try (ParzenWindow p = new ParzenWindow(manager, new float[] {1f, 2f}, 1, 2)) {
            double[][] ll = p.logLikelihoods(new float[0], 0, SIGMAS);
            assertThat(ll).hasNumberOfRows(SIGMAS.length);
            assertThat(ll[0]).isEmpty();
        }
    }

    // ---- the protocol: σ chosen on validation, mean and standard error on test ----------------

    @Test
    void paperSigmaGridIsLogspaceMinusOneToZero() {
        double[] grid = ParzenWindow.paperSigmaGrid();
        double[] fromPaper = {
            0.1, 0.1292, 0.1668, 0.2154, 0.2783, 0.3594, 0.4642, 0.5995, 0.7743, 1.0
        };
        assertThat(grid).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(grid[i]).isCloseTo(fromPaper[i], within(5e-5));
            assertThat(grid[i]).isCloseTo(Math.pow(10, -1 + i / 9.0), within(1e-15));
        }
        assertThat(grid[0]).isCloseTo(0.1, within(1e-16));
        assertThat(grid[9]).isEqualTo(1.0);
        assertThat(ParzenWindow.PAPER_SIGMA_GRID).containsExactly(grid);
        grid[0] = 7; // a copy: the next caller still gets the paper's grid
        assertThat(ParzenWindow.paperSigmaGrid()[0]).isCloseTo(0.1, within(1e-16));
    }

    @Test
    void evaluateChoosesTheSigmaWithTheHighestValidationMean() {
        // One kernel in 1-D, validation points at distance 0.3: mean log p(σ) = −0.09/(2σ²) −
        // log(σ√(2π)) peaks at σ = 0.3, between grid values 0.2783 (the better one) and 0.3594.
        double[] grid = ParzenWindow.paperSigmaGrid();
        float[] kernel = {0f};
        float[] valid = {0.3f, -0.3f, 0.3f, -0.3f};
        float[] test = {0.5f, -0.5f, 1.0f}; // their best σ would differ; σ must come from valid
        double r2 = (double) 0.3f * 0.3f;
        try (ParzenWindow p = new ParzenWindow(manager, kernel, 1, 1)) {
            ParzenWindow.Result result = p.evaluate(valid, 4, test, 3, grid);

            double[] expectedValid = new double[grid.length];
            int best = 0;
            for (int s = 0; s < grid.length; s++) {
                expectedValid[s] = gaussianLogDensity(r2, grid[s], 1);
                best = expectedValid[s] > expectedValid[best] ? s : best;
            }
            assertThat(best).isEqualTo(4);
            assertThat(result.sigma()).isEqualTo(grid[4]);
            for (int s = 0; s < grid.length; s++) {
                assertThat(result.validMeans()[s])
                        .isCloseTo(expectedValid[s], within(1e-12 * Math.abs(expectedValid[s])));
            }

            double[] testLl = {
                gaussianLogDensity(0.25, grid[4], 1),
                gaussianLogDensity(0.25, grid[4], 1),
                gaussianLogDensity(1.0, grid[4], 1)
            };
            double mean = (testLl[0] + testLl[1] + testLl[2]) / 3;
            assertThat(result.mean()).isCloseTo(mean, within(1e-12 * Math.abs(mean)));
            assertThat(result.samples()).isEqualTo(1);
            assertThat(result.validPoints()).isEqualTo(4);
            assertThat(result.testPoints()).isEqualTo(3);
            assertThat(result.sigmaGrid()).containsExactly(grid);
        }
    }

    @Test
    void evaluateMatchesReferenceMeansAndStandardError() {
        int n = 60, mValid = 25, mTest = 40, d = 6;
        Random rng = new Random(21);
        float[] samples = uniform(rng, n * d, 1f);
        float[] valid = uniform(rng, mValid * d, 1f);
        float[] test = uniform(rng, mTest * d, 1f);
        double[] grid = ParzenWindow.paperSigmaGrid();

        double[][] refValid = reference(samples, n, valid, mValid, d, grid);
        int best = 0;
        double[] refMeans = new double[grid.length];
        for (int s = 0; s < grid.length; s++) {
            double sum = 0;
            for (double v : refValid[s]) {
                sum += v;
            }
            refMeans[s] = sum / mValid;
            best = refMeans[s] > refMeans[best] ? s : best;
        }
        assertThat(best).as("the case should pick an interior σ").isBetween(1, grid.length - 2);
        double[] refTest = reference(samples, n, test, mTest, d, new double[] {grid[best]})[0];
        double mean = 0;
        for (double v : refTest) {
            mean += v / mTest;
        }
        double ss = 0;
        for (double v : refTest) {
            ss += (v - mean) * (v - mean);
        }
        double standardError = Math.sqrt(ss / mTest) / Math.sqrt(mTest);

        try (ParzenWindow p = new ParzenWindow(manager, samples, n, d, 7, DataType.FLOAT64)) {
            ParzenWindow.Result result = p.evaluate(valid, mValid, test, mTest, grid);
            assertThat(result.sigma()).isEqualTo(grid[best]);
            assertThat(result.validMeans()).containsExactly(refMeans, within(1e-9));
            assertThat(result.mean()).isCloseTo(mean, within(1e-9 * Math.abs(mean)));
            assertThat(result.standardError())
                    .isCloseTo(standardError, within(1e-9 * standardError));

            double[] perPoint = p.logLikelihoods(test, mTest, result.sigma());
            ParzenWindow.Stats stats = ParzenWindow.meanAndStdErr(perPoint);
            assertThat(result.mean()).isEqualTo(stats.mean());
            assertThat(result.standardError()).isEqualTo(stats.standardError());
        }
    }

    @Test
    void meanAndStdErrUsesThePopulationStd() {
        ParzenWindow.Stats stats = ParzenWindow.meanAndStdErr(new double[] {1, 2, 3, 4});
        assertThat(stats.count()).isEqualTo(4);
        assertThat(stats.mean()).isEqualTo(2.5);
        assertThat(stats.std()).isCloseTo(Math.sqrt(1.25), within(1e-15));
        assertThat(stats.standardError()).isCloseTo(Math.sqrt(1.25) / 2, within(1e-15));

        // a large common offset must not swamp the spread (naive Σx² − n·mean² loses it)
        ParzenWindow.Stats shifted =
                ParzenWindow.meanAndStdErr(new double[] {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4});
        assertThat(shifted.std()).isCloseTo(Math.sqrt(1.25), within(1e-9));
        assertThat(ParzenWindow.meanAndStdErr(new double[] {-3}).standardError()).isZero();
    }

    @Test
    void resultMapAndArraysAreDetached() {
        double[] grid = {0.1, 0.2};
        double[] means = {-1, 2};
        ParzenWindow.Result r = new ParzenWindow.Result(0.2, 2, 0.5, 10, 3, 4, grid, means);
        grid[0] = 99;
        r.validMeans()[0] = 99;
        assertThat(r.sigmaGrid()).containsExactly(0.1, 0.2);
        assertThat(r.validMeans()).containsExactly(-1, 2);
        assertThat(r.toMap()).containsKeys("sigma", "mean", "standardError", "samples",
                "validPoints", "testPoints", "sigmaGrid", "validMeans");
        assertThat(r.toMap().get("validMeans")).isEqualTo(List.of(-1.0, 2.0));
        assertThat(r.toString()).contains("2.00 ± 0.50");
    }

    // ---- invalid input -------------------------------------------------------------------------

    @Test
    void rejectsMalformedSamples() {
        assertThatThrownBy(() -> new ParzenWindow(manager, new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("samples has 5 values, expected 2 × 3 = 6");
        assertThatThrownBy(() -> new ParzenWindow(manager, new float[0], 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n=0");
        assertThatThrownBy(() -> new ParzenWindow(manager, new float[0], 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
        assertThatThrownBy(() -> new ParzenWindow(manager, new float[] {1, Float.NaN}, 1, 2))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining(
                        "samples contain a non-finite value (NaN) at row 0, column 1");
        assertThatThrownBy(() -> new ParzenWindow(manager, new float[2], 1, 2, 0, DataType.FLOAT32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkRows");
        assertThatThrownBy(() -> new ParzenWindow(manager, new float[2], 1, 2, 8, DataType.INT32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataType");
    }

    @Test
    void rejectsMalformedPointsAndSigmas() {
        try (ParzenWindow p = new ParzenWindow(manager, new float[] {0, 0, 1, 1}, 2, 2)) {
            float[] point = {0.5f, 0.5f};
            assertThatThrownBy(() -> p.logLikelihoods(new float[3], 2, 0.1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("points has 3 values, expected 2 × 2 = 4");
            float[] infinite = {1, Float.POSITIVE_INFINITY};
            assertThatThrownBy(() -> p.logLikelihoods(infinite, 1, 0.1))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("points contain");
            double[] badSigmas = {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY, 1e-200};
            for (double bad : badSigmas) {
                assertThatThrownBy(() -> p.logLikelihoods(point, 1, bad))
                        .as("σ=%s", bad)
                        .isInstanceOf(BadInputException.class)
                        .hasMessageContaining("sigmas[0]=" + bad);
            }
            assertThatThrownBy(() -> p.logLikelihoods(point, 1, new double[] {0.2, -1}))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("sigmas[1]=-1.0");
            assertThatThrownBy(() -> p.evaluate(point, 1, point, 1, new double[0]))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("grid is empty");
            assertThatThrownBy(() -> p.evaluate(new float[0], 0, point, 1, SIGMAS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mValid=0");
            assertThatThrownBy(() -> ParzenWindow.meanAndStdErr(new double[0]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closedWindowRefusesWork() {
        ParzenWindow p = new ParzenWindow(manager, new float[] {0, 0}, 1, 2);
        p.close();
        p.close(); // idempotent
        assertThatThrownBy(() -> p.logLikelihoods(new float[] {0, 0}, 1, 0.1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    // ---- reference and helpers -----------------------------------------------------------------

    /**
     * parzen_ll.py written out in double: a = (x − μ)/σ, E = logmeanexp(−½ Σ a²) with the max
     * subtracted, Z = d·log(σ√(2π)).
     */
    static double[][] reference(
            float[] samples, int n, float[] points, int m, int d, double[] sigmas) {
        double[][] out = new double[sigmas.length][m];
        double[] e = new double[n];
        for (int s = 0; s < sigmas.length; s++) {
            double sigma = sigmas[s];
            for (int i = 0; i < m; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int t = 0; t < d; t++) {
                        double a = ((double) points[i * d + t] - samples[j * d + t]) / sigma;
                        sum += a * a;
                    }
                    e[j] = -0.5 * sum;
                    max = Math.max(max, e[j]);
                }
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    acc += Math.exp(e[j] - max);
                }
                out[s][i] = max + Math.log(acc / n) - d * Math.log(sigma * Math.sqrt(2 * Math.PI));
            }
        }
        return out;
    }

    /**
     * Bound on the float32 matmul's effect on log p: each squared distance moves by at most about
     * (d + 2)·u·(‖x − c‖² + ‖μ − c‖²) (u = 2⁻²⁴, c the samples' mean, which the window centres
     * on), and logmeanexp moves by at most the largest change of its exponents. Doubled for slack.
     */
    static double float32Tolerance(
            float[] samples, int n, float[] points, int m, int d, double sigma) {
        double[] c = new double[d];
        for (int j = 0; j < n; j++) {
            for (int t = 0; t < d; t++) {
                c[t] += samples[j * d + t] / (double) n;
            }
        }
        double maxSample = maxCentredNorm(samples, n, d, c);
        double maxPoint = maxCentredNorm(points, m, d, c);
        double u = Math.ulp(1f) / 2;
        return 2 * (d + 2) * u * (maxSample + maxPoint) / (2 * sigma * sigma);
    }

    private static double maxCentredNorm(float[] data, int rows, int d, double[] c) {
        double max = 0;
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            for (int t = 0; t < d; t++) {
                double v = data[i * d + t] - c[t];
                sq += v * v;
            }
            max = Math.max(max, sq);
        }
        return max;
    }

    private static double gaussianLogDensity(double r2, double sigma, int d) {
        return -r2 / (2 * sigma * sigma) - d * (Math.log(sigma) + LOG_SQRT_2PI);
    }

    private static double squaredDistance(float[] a, int i, float[] b, int j, int d) {
        double sum = 0;
        for (int t = 0; t < d; t++) {
            double diff = (double) a[i * d + t] - b[j * d + t];
            sum += diff * diff;
        }
        return sum;
    }

    static float[] uniform(Random rng, int size, float scale) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = rng.nextFloat() * scale;
        }
        return out;
    }

    private static float[] shuffleRows(float[] data, int rows, int d, Random rng) {
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[k];
            order[k] = tmp;
        }
        float[] out = new float[data.length];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(data, order[i] * d, out, i * d, d);
        }
        return out;
    }
}
