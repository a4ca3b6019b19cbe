package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loss of the user's own, registered through the API and trained with, without editing Gantry. */
class CustomLossTest {

    @TempDir
    static Path dir;

    static final AtomicInteger made = new AtomicInteger();
    static final AtomicInteger dCalls = new AtomicInteger();
    static final AtomicInteger gCalls = new AtomicInteger();

    /** The GAN loss of Goodfellow et al. with the non-saturating G, written by a user from the API's helpers. */
    static final class UsersGanLoss implements Loss {
        private final double scale;

        UsersGanLoss(double scale) {
            this.scale = scale;
        }

        @Override
        public NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
            dCalls.incrementAndGet();
            NDArray d = Loss.softplus(realLogits.neg()).mean().add(Loss.softplus(fakeLogits).mean());
            return Loss.times(d, scale);
        }

        @Override
        public NDArray generator(NDArray fakeLogits) {
            gCalls.incrementAndGet();
            return Loss.softplus(fakeLogits.neg()).mean();
        }
    }

    @BeforeAll
    static void register() {
        Gantry.registerLoss("test-users-gan", () -> {
            made.incrementAndGet();
            return new UsersGanLoss(1.0);
        });
        Gantry.registerLoss("test-users-gan-double", () -> new UsersGanLoss(2.0));
        Gantry.registerLoss("test-not-scalar", () -> new Loss() {
            @Override
            public NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
                return realLogits;   // [B]: not a scalar
            }

            @Override
            public NDArray generator(NDArray fakeLogits) {
                return fakeLogits.mean();
            }
        });
    }

    static List<JsonNode> train(String name, String... sets) throws Exception {
        Experiment.Builder b = Gantry.experiment("tiny").optEpochs(1).optRunDirectory(dir.resolve(name))
                .optSet("monitor.parzen_every", 0).optSet("train.stats_every", 1);
        for (String s : sets) {
            b.optSet(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        TrainingResult r = b.build().train();
        assertThat(r.outcome()).isEqualTo(TrainingResult.Outcome.FINISHED);
        List<JsonNode> stats = new ArrayList<>();
        for (String line : Files.readAllLines(r.runDirectory().resolve("stats.jsonl"))) {
            stats.add(ConfigLoader.mapper().readTree(line));
        }
        return stats;
    }

    @Test
    void aRegisteredLossTrainsAsTheBuiltInLossItRewrites() throws Exception {
        assertThat(Gantry.losses()).contains("gan", "hinge", "test-users-gan");
        List<JsonNode> builtIn = train("built-in", "loss.name=gan", "loss.d_scale=1");
        int before = dCalls.get();
        List<JsonNode> users = train("users", "loss.name=test-users-gan");
        // tiny: 10 steps, one D and one G loss each (simultaneous schedule).
        assertThat(dCalls.get() - before).isEqualTo(10);
        assertThat(gCalls.get()).isGreaterThanOrEqualTo(10);
        assertThat(made.get()).isGreaterThanOrEqualTo(1);
        assertThat(users).hasSameSizeAs(builtIn).hasSize(10);
        for (int i = 0; i < users.size(); i++) {
            for (String k : List.of("loss_d", "loss_g", "d_real", "d_fake", "grad_norm_g", "grad_norm_d")) {
                assertThat(users.get(i).path(k).asDouble()).as(k + " at line " + i)
                        .isCloseTo(builtIn.get(i).path(k).asDouble(), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
        // And it is the user's code that ran: doubling its D loss doubles loss_d of the first step
        // (computed before any update; later steps follow other trajectories).
        List<JsonNode> doubled = train("doubled", "loss.name=test-users-gan-double");
        assertThat(doubled.get(0).path("loss_d").asDouble())
                .isCloseTo(2 * users.get(0).path("loss_d").asDouble(), org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void aLossThatIsNotAScalarIsRefusedByName() {
        Experiment e = Gantry.experiment("tiny").optEpochs(1).optRunDirectory(dir.resolve("not-scalar"))
                .optSet("loss.name", "test-not-scalar").build();
        assertThatThrownBy(e::train).isInstanceOf(BadInputException.class)
                .hasMessageContaining("loss 'test-not-scalar'").hasMessageContaining("expected a scalar");
    }

    @Test
    void namesAreCheckedWhenRegisteredAndWhenUsed() {
        assertThatThrownBy(() -> Gantry.registerLoss("gan", () -> new UsersGanLoss(1))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'gan' is already registered");
        assertThatThrownBy(() -> Gantry.registerLoss("My Loss", () -> new UsersGanLoss(1))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("'My Loss'").hasMessageContaining("lower case letters");
        assertThatThrownBy(() -> Gantry.experiment("tiny").optSet("loss.name", "test-never-registered").build())
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("loss.name must be one of").hasMessageContaining("test-users-gan")
                .hasMessageContaining("got 'test-never-registered'").hasMessageContaining("Gantry.registerLoss");
    }
}
