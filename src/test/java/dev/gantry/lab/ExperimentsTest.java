package dev.gantry.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each experiment on a tiny budget: its number, its reference where one exists, its PNG. */
class ExperimentsTest {

    @TempDir
    Path tmp;

    @Test
    void aBrieflyTrainedDiscriminatorIsCloseToTheOptimalOne() throws Exception {
        OptimalD.Result r = OptimalD.run(OptimalD.Params.defaults().withSteps(450).withOut(tmp));
        assertThat(r.maxAbsError()).isLessThan(0.05);
        assertThat(r.meanAbsError()).isLessThan(r.maxAbsError());
        // Where p_data + p_g ≥ 1% of its peak, for N(0, 1) and N(1.5, 1.3²).
        assertThat(r.regionLo()).isBetween(-3.2, -2.7);
        assertThat(r.regionHi()).isBetween(4.8, 5.5);
        assertThat(Files.size(Path.of(r.png()))).isBetween(1L, 150_000L);
    }

    @Test
    void theValueOfTheTrainedDiscriminatorIsBelowTheGamesValue() {
        ValueIdentity.Result r = ValueIdentity.run(OptimalD.Params.defaults().withSteps(300).withOut(tmp));
        // V(D*, G) = −log 4 + 2·JSD to integration accuracy, and the trained D is close below it.
        assertThat(r.identityError()).isCloseTo(0, within(1e-6));
        assertThat(r.jsd()).isCloseTo(0.18197632370896255, within(1e-6));
        assertThat(r.gap()).isBetween(-1e-3, 0.02);
        assertThat(r.valueTrained()).isLessThan(r.valueOptimal() + 1e-3);
    }

    @Test
    void theFigure1GameMovesTheGeneratorOntoTheData() {
        Figure1.Result r = Figure1.run(Figure1.Params.defaults().withSteps(300).withOut(tmp));
        assertThat(r.snapshots()).extracting(Figure1.Snapshot::step).containsExactly(0, 30, 100, 300);
        double start = r.snapshots().get(0).jsd();
        assertThat(start).isGreaterThan(0.6);
        assertThat(r.jsd()).isLessThan(start / 2);
        assertThat(r.jsdFloor()).isZero();   // the affine G's p_g is exact
        assertThat(Path.of(r.png())).isRegularFile();
    }

    @Test
    void aTinyFigure1StillHasFourDistinctPanels() {
        Figure1.Result r = Figure1.run(Figure1.Params.defaults().withSteps(3).withOut(tmp));
        assertThat(r.snapshots()).extracting(Figure1.Snapshot::step).containsExactly(0, 1, 2, 3);
    }

    @Test
    void jsdIsFlatAndW1IsNotForDisjointSupports() {
        Disjoint.Result r = Disjoint.run(Disjoint.Params.defaults().withBudget(List.of(1.0, 0.1), 60).withOut(tmp));
        assertThat(r.jsdAtMax()).isCloseTo(Divergences.LOG2, within(1e-9));
        assertThat(r.w1AtMax()).isCloseTo(2.0, within(1e-6));
        assertThat(r.jsdMaxError()).isLessThan(1e-3);
        assertThat(r.w1MaxError()).isLessThan(1e-6);
        Disjoint.Gradients far = r.gradients().get(0);
        assertThat(far.jsd()).isZero();
        assertThat(far.wasserstein()).isEqualTo(1.0);
        assertThat(far.wassersteinFd()).isCloseTo(1.0, within(1e-4));
        Disjoint.Gradients overlapping = r.gradients().get(1);   // θ = a: half the mass shared
        assertThat(overlapping.jsd()).isCloseTo(Divergences.LOG2 / 0.2, within(1e-6));
        assertThat(overlapping.wasserstein()).isEqualTo(1.0);
        assertThat(r.pngs()).hasSize(2);
    }

    @Test
    void theForceFieldPushesFakesOutwardTowardTheRing() {
        ForceField.Result r = ForceField.run(ForceField.Params.defaults().withSnapshots(List.of(60)).withOut(tmp));
        ForceField.Snapshot s = r.snapshots().get(0);
        assertThat(s.meanDData()).isGreaterThan(s.meanDFake());
        assertThat(s.towardNearestMode()).isGreaterThan(0.8);
        assertThat(s.meanCosine()).isBetween(0.0, 1.0);
        assertThat(Path.of(r.png())).isRegularFile();
    }
}
