package dev.gantry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Gaussian1D against reference values computed with mpmath at 30 digits. */
class Gaussian1DTest {

    /** |actual − expected| ≤ rel·|expected| (plus a floor for expected = 0). */
    private static void assertClose(double actual, double expected, double rel) {
        assertThat(actual).isCloseTo(expected, within(rel * Math.abs(expected) + 1e-300));
    }

    @ParameterizedTest
    @CsvSource({
            // x, erf(x), erfc(x): mpmath.erf / mpmath.erfc, mp.dps = 30
            "0,       0.0,                      1.0",
            "1e-10,   1.1283791670955125739e-10, 0.99999999988716208329",
            "0.1,     0.1124629160182848922,    0.8875370839817151078",
            "0.3,     0.32862675945912742764,   0.67137324054087257236",
            "0.46875, 0.49261347321793799159,   0.50738652678206200841",
            "0.5,     0.52049987781304653768,   0.47950012218695346232",
            "1,       0.84270079294971486934,   0.15729920705028513066",
            "2,       0.99532226501895273416,   0.0046777349810472658379",
            "3.5,     0.99999925690162765859,   7.4309837234141274552e-7",
            "4,       0.99999998458274209972,   1.5417257900280018852e-8",
            "4.5,     0.99999999980338395585,   1.9661604415428874763e-10",
            "6,       0.99999999999999997848,   2.1519736712498913117e-17",
            "10,      1.0,                      2.088487583762544757e-45",
    })
    void erfAndErfcMatchHighPrecisionValuesInAllThreeIntervals(double x, double erf, double erfc) {
        assertClose(Gaussian1D.erf(x), erf, 1e-15);
        assertClose(Gaussian1D.erfc(x), erfc, 1e-14);
        // Odd and reflected.
        assertClose(Gaussian1D.erf(-x), -erf, 1e-15);
        assertClose(Gaussian1D.erfc(-x), 2 - erfc, 1e-15);
    }

    @Test
    void erfcFarTail() {
        assertClose(Gaussian1D.erfc(27), 0, 0); // below the smallest double: CALERF's XBIG
        assertThat(Gaussian1D.erfc(Double.POSITIVE_INFINITY)).isZero();
        assertThat(Gaussian1D.erf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(Gaussian1D.erf(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
        assertThat(Gaussian1D.erf(Double.NaN)).isNaN();
        assertThat(Gaussian1D.erfc(Double.NaN)).isNaN();
    }

    @ParameterizedTest
    @CsvSource({
            // z, Φ(z): mpmath.ncdf, mp.dps = 30
            "1,     0.84134474606854294859",
            "-1,    0.15865525393145705141",
            "0,     0.5",
            "1.96,  0.97500210485177956586",
            "3,     0.99865010196836990547",
            "-5,    2.8665157187919391167e-7",
            "-10,   7.619853024160526066e-24",
            "-37,   5.7255712225245768227e-300",
    })
    void standardCdfMatchesHighPrecisionValuesWithRelativeAccuracyInTheTail(double z, double phi) {
        // Relative accuracy degrades like z²·ulp because -z/√2 is rounded before erfc.
        assertClose(Gaussian1D.standardCdf(z), phi, 1e-13);
    }

    @Test
    void phiOfOneToDoublePrecision() {
        assertThat(Gaussian1D.STANDARD.cdf(1.0)).isCloseTo(0.8413447460685429, within(2e-16));
    }

    @Test
    void cdfAndPdfOfAShiftedScaledNormal() {
        Gaussian1D g = new Gaussian1D(4, 0.5);
        assertThat(g.cdf(4)).isEqualTo(0.5);
        assertThat(g.cdf(4.5)).isCloseTo(0.8413447460685429, within(1e-15));
        assertThat(g.pdf(4)).isCloseTo(1 / (0.5 * Math.sqrt(2 * Math.PI)), within(1e-15));
        assertThat(g.pdf(3)).isCloseTo(g.pdf(5), within(1e-15));
        // The cdf's derivative is the pdf (central difference, error O(h²)).
        for (double x : new double[] {2.5, 3.7, 4.0, 4.9, 5.6}) {
            double h = 1e-5;
            assertThat((g.cdf(x + h) - g.cdf(x - h)) / (2 * h)).as("x=%s", x).isCloseTo(g.pdf(x), within(1e-8));
        }
    }

    @Test
    void samplesHaveTheRightMomentsAndQuantile() {
        Gaussian1D g = new Gaussian1D(-2, 3);
        int n = 100_000;
        float[] s = g.sample(n, 7);
        double sum = 0;
        double sq = 0;
        int below = 0;
        for (float v : s) {
            sum += v;
            sq += (double) v * v;
            below += v <= -2 + 3 ? 1 : 0;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sq / n - mean * mean);
        // 5 standard errors: mean 3/√n, sd ≈ 3/√(2n), a proportion √(p(1−p)/n).
        assertThat(mean).isCloseTo(-2, within(5 * 3 / Math.sqrt(n)));
        assertThat(sd).isCloseTo(3, within(5 * 3 / Math.sqrt(2.0 * n)));
        double p = 0.8413447460685429;
        assertThat((double) below / n).isCloseTo(p, within(5 * Math.sqrt(p * (1 - p) / n)));
    }

    @Test
    void samplingIsDeterministicPerSeed() {
        Gaussian1D g = new Gaussian1D(0, 1);
        assertThat(g.sample(101, 3)).containsExactly(g.sample(101, 3));
        assertThat(g.sample(101, 3)).isNotEqualTo(g.sample(101, 4));
        assertThat(g.sample(101, 3)).hasSize(101);
        assertThat(g.sample(0, 3)).isEmpty();
        // An odd count takes a prefix of the next even one.
        float[] odd = g.sample(5, 9);
        float[] even = g.sample(6, 9);
        assertThat(odd).containsExactly(java.util.Arrays.copyOf(even, 5));
    }

    @Test
    void rejectsBadParameters() {
        assertThatThrownBy(() -> new Gaussian1D(0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("std");
        assertThatThrownBy(() -> new Gaussian1D(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Gaussian1D(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mean");
        assertThatThrownBy(() -> Gaussian1D.STANDARD.sample(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
