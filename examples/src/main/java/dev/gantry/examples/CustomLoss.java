package dev.gantry.examples;

import ai.djl.ndarray.NDArray;
import dev.gantry.api.Gantry;
import dev.gantry.api.Generator;
import dev.gantry.api.Loss;
import dev.gantry.api.Progress;
import dev.gantry.api.TrainingListener;
import dev.gantry.api.TrainingResult;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loss of your own, plugged in without editing Gantry: the GAN loss with one-sided label
 * smoothing (Salimans et al. 2016, §3.4), where D's target for real images is α = 0.9 instead of
 * 1, so that D(x) is pulled towards 0.9 rather than towards certainty.
 */
public final class CustomLoss {

    /** D minimises −α log D(x) − (1 − α) log(1 − D(x)) − log(1 − D(G(z))); G the non-saturating −log D(G(z)). */
    static final class SmoothedGanLoss implements Loss {
        private final double alpha;

        SmoothedGanLoss(double alpha) {
            this.alpha = alpha;
        }

        @Override
        public NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
            // With D = sigmoid(l): −log D = softplus(−l), −log(1 − D) = softplus(l).
            NDArray real = Loss.times(Loss.softplus(realLogits.neg()), alpha)
                    .add(Loss.times(Loss.softplus(realLogits), 1 - alpha)).mean();
            return real.add(Loss.softplus(fakeLogits).mean());
        }

        @Override
        public NDArray generator(NDArray fakeLogits) {
            return Loss.softplus(fakeLogits.neg()).mean();
        }
    }

    public static void main(String[] args) {
        Gantry.registerLoss("smoothed-gan", () -> new SmoothedGanLoss(0.9));
        AtomicReference<Progress> last = new AtomicReference<>();
        TrainingResult run = Gantry.experiment(args.length > 0 ? args[0] : "tiny")
                .optSet("loss.name", "smoothed-gan")                // the name just registered
                .optSet("train.epochs", 2)
                .optRunsRoot(Path.of(System.getProperty("gantry.runs", "runs")))
                .optListener(TrainingListener.everyStats(last::set))
                .build()
                .train();
        System.out.printf("%s with loss smoothed-gan: %s; %s%n", run.runDirectory(), run.outcome(), last.get());
        try (Generator g = run.generator()) {
            System.out.println("grid: " + g.writePng(run.runDirectory().resolve("grid.png"), 64, 0));
        }
    }
}
