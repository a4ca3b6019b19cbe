package dev.gantry.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The divergences against closed forms and an independent quadrature. */
class DivergencesTest {

    private static final Grid1D WIDE = new Grid1D(-30, 30, 60_001);

    private static double[] pdf(Density1D d) {
        return WIDE.map(d::pdf);
    }

    @Test
    void jsdOfIdenticalDistributionsIsZero() {
        double[] p = pdf(Density1D.normal(0.3, 1.7));
        assertThat(Divergences.jsd(WIDE, p, p)).isCloseTo(0, within(1e-15));
        Density1D u = Density1D.uniform(-1, 2);
        assertThat(Divergences.jsdBinned(u, u, new Grid1D(-3, 3, 601))).isCloseTo(0, within(1e-15));
        assertThat(Divergences.jsdDiscrete(new double[] {0.2, 0.8, 0}, new double[] {0.2, 0.8, 0})).isZero();
    }

    @Test
    void jsdOfDisjointDistributionsIsLog2() {
        // Two far-apart Gaussians overlap by less than 1e-100.
        double far = Divergences.jsd(WIDE, pdf(Density1D.normal(-10, 0.5)), pdf(Density1D.normal(10, 0.5)));
        assertThat(far).isCloseTo(Divergences.LOG2, within(1e-9));
        // Disjoint uniforms: exact bin masses, no quadrature error.
        double uniforms = Divergences.jsdBinned(Density1D.uniform(0, 1), Density1D.uniform(2, 3), new Grid1D(-1, 4, 501));
        assertThat(uniforms).isCloseTo(Divergences.LOG2, within(1e-12));
        assertThat(Divergences.jsdDiscrete(new double[] {0.5, 0.5, 0, 0}, new double[] {0, 0, 0.3, 0.7}))
                .isCloseTo(Divergences.LOG2, within(1e-15));
    }

    @Test
    void jsdOfTwoGaussiansMatchesAnIndependentQuadrature() {
        // scipy.integrate.quad of ½[p log(p/m) + q log(q/m)] over [−40, 40], abs. error estimate 5e-15.
        double reference = 0.18197632370896255;
        Density1D p = Density1D.normal(0, 1);
        Density1D q = Density1D.normal(1.5, 1.3);
        assertThat(Divergences.jsd(WIDE, pdf(p), pdf(q))).isCloseTo(reference, within(1e-9));
        assertThat(Divergences.jsdBinned(p, q, new Grid1D(-15, 15, 30_001))).isCloseTo(reference, within(1e-6));
        assertThat(Divergences.jsd(WIDE, pdf(q), pdf(p))).isCloseTo(reference, within(1e-9));   // symmetric
    }

    @ParameterizedTest
    @CsvSource({"0.05", "0.1", "0.15", "0.2", "0.5"})
    void jsdOfShiftedUniformsIsLog2TimesTheUnsharedFraction(double theta) {
        double a = 0.1;
        double binned = Divergences.jsdBinned(Density1D.uniform(-a, a), Density1D.uniform(theta - a, theta + a),
                new Grid1D(-1, 1.5, 250_001));
        assertThat(binned).isCloseTo(Disjoint.jsdClosedForm(theta, a), within(1e-4));
        assertThat(Disjoint.jsdClosedForm(theta, a)).isEqualTo(Divergences.LOG2 * Math.min(1, theta / (2 * a)));
    }

    /**
     * Theorem 1 at the closed-form D*: V(D*, G) = −log 4 + 2·JSD, with the JSD computed independently
     * of V, as H(m) − ½(H(p_data) + H(p_g)) from the Gaussians' closed-form entropies.
     */
    @ParameterizedTest
    @CsvSource({"0, 1, 1.5, 1.3", "0, 1, 1.5, 0.7", "2, 0.5, -1, 0.5", "0, 1, 0, 1", "0, 1, 0.01, 3"})
    void valueAtOptimalDiscriminatorEqualsMinusLog4PlusTwiceJsd(double mu1, double s1, double mu2, double s2) {
        double[] p = pdf(Density1D.normal(mu1, s1));
        double[] q = pdf(Density1D.normal(mu2, s2));
        double[] m = new double[p.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = 0.5 * (p[i] + q[i]);
        }
        double jsdByEntropy = Divergences.entropy(WIDE, m)
                - 0.5 * (Divergences.gaussianEntropy(s1) + Divergences.gaussianEntropy(s2));
        double v = Divergences.valueAtOptimum(WIDE, p, q);
        assertThat(v).isCloseTo(-Divergences.LOG4 + 2 * jsdByEntropy, within(1e-6));
        assertThat(v).isCloseTo(-Divergences.LOG4 + 2 * Divergences.jsd(WIDE, p, q), within(1e-6));
        // The same through D*'s logits log(p/q), the trained D's path, on a grid where neither density underflows.
        Grid1D g = new Grid1D(-8, 8, 16_001);
        double[] pg = g.map(Density1D.normal(mu1, s1)::pdf);
        double[] qg = g.map(Density1D.normal(mu2, s2)::pdf);
        double[] logits = new double[g.n()];
        for (int i = 0; i < g.n(); i++) {
            logits[i] = Math.log(pg[i]) - Math.log(qg[i]);
        }
        double vg = Divergences.valueAtOptimum(g, pg, qg);
        assertThat(Divergences.valueFromLogits(g, pg, qg, logits)).isCloseTo(vg, within(1e-9));
    }

    @Test
    void anyOtherDiscriminatorHasALowerValue() {
        Grid1D g = new Grid1D(-8, 8, 16_001);
        double[] p = g.map(Density1D.normal(0, 1)::pdf);
        double[] q = g.map(Density1D.normal(1.5, 1.3)::pdf);
        double[] dStar = Divergences.optimalDiscriminator(p, q);
        double best = Divergences.valueAtOptimum(g, p, q);
        for (double eps : new double[] {0.3, 0.05, 0.01}) {
            double[] d = dStar.clone();
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.min(1 - 1e-12, Math.max(1e-12, d[i] + eps * Math.sin(g.x(i))));
            }
            assertThat(Divergences.value(g, p, q, d)).isLessThan(best);
        }
    }

    @Test
    void thePointwiseShortfallOfAnyDiscriminatorIsNonNegativeAndIntegratesToTheGap() {
        Grid1D g = new Grid1D(-8, 8, 16_001);
        double[] p = g.map(Density1D.normal(0, 1)::pdf);
        double[] q = g.map(Density1D.normal(1.5, 1.3)::pdf);
        double[] logits = g.map(x -> 0.8 - 1.1 * x);   // some logistic D, not D*
        double[] gap = ValueIdentity.pointwiseGap(p, q, logits);
        assertThat(java.util.Arrays.stream(gap).min().orElseThrow()).isGreaterThanOrEqualTo(-1e-15);
        assertThat(g.trapezoid(gap)).isCloseTo(
                Divergences.valueAtOptimum(g, p, q) - Divergences.valueFromLogits(g, p, q, logits), within(1e-12));
    }

    @ParameterizedTest
    @CsvSource({"0.0", "0.25", "1.0", "-2.5", "7.0"})
    void w1OfShiftedGaussiansIsTheShift(double shift) {
        double w = Divergences.w1(WIDE, Density1D.normal(0.4, 1.3), Density1D.normal(0.4 + shift, 1.3));
        assertThat(w).isCloseTo(Math.abs(shift), within(1e-6));
    }

    @Test
    void w1OfCentredGaussiansIsTheStdDifferenceTimesMeanAbsoluteNormal() {
        // W1(N(0, s1²), N(0, s2²)) = |s1 − s2|·E|Z| = |s1 − s2|·√(2/π): the quantile functions differ by (s2 − s1)·Φ⁻¹.
        double w = Divergences.w1(WIDE, Density1D.normal(0, 1), Density1D.normal(0, 2.5));
        assertThat(w).isCloseTo(1.5 * Math.sqrt(2 / Math.PI), within(1e-6));
    }

    @Test
    void empiricalW1OfAShiftedSampleIsTheShift() {
        float[] a = Density1D.normal(0, 1).sample(1000, 3);
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[(i * 7) % a.length] + 0.75f;   // a permutation of a, shifted
        }
        assertThat(Divergences.w1Empirical(a, b)).isCloseTo(0.75, within(1e-6));
    }

    @Test
    void trapezoidIsExactForLinearFunctionsAndKdeIntegratesToOne() {
        Grid1D g = new Grid1D(-1, 3, 5);
        assertThat(g.trapezoid(g.map(x -> 2 * x + 1))).isCloseTo(12.0, within(1e-12));
        float[] sample = Density1D.normal(1, 0.5).sample(5000, 11);
        double[] kde = Kde.density(sample, WIDE);
        assertThat(WIDE.trapezoid(kde)).isCloseTo(1.0, within(1e-9));
        double h = Kde.bandwidth(sample);
        assertThat(h).isBetween(0.9 * 0.45 * Math.pow(5000, -0.2), 0.9 * 0.55 * Math.pow(5000, -0.2));
    }

    @Test
    void softplusAndSigmoidAreStableAtExtremes() {
        assertThat(Divergences.softplus(1000)).isEqualTo(1000.0);
        assertThat(Divergences.softplus(-1000)).isZero();
        assertThat(Divergences.sigmoid(-1000)).isZero();
        assertThat(Divergences.sigmoid(1000)).isEqualTo(1.0);
        assertThat(Divergences.softplus(0)).isCloseTo(Math.log(2), within(1e-15));
    }
}
