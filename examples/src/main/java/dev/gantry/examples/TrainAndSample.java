package dev.gantry.examples;

import dev.gantry.api.Experiment;
import dev.gantry.api.Generator;
import dev.gantry.api.MetricResult;
import dev.gantry.api.TrainingListener;
import dev.gantry.api.TrainingResult;
import java.nio.file.Path;

/** Trains a GAN, restores its generator from the newest checkpoint, samples and evaluates it. */
public final class TrainAndSample {

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "tiny";       // tiny: fake 28x28 blobs, seconds; paper-mnist: the paper's GAN
        TrainingResult run = Experiment.builder()
                .setPreset(preset)
                .optSet("train.epochs", 2)                          // any config key, as gantry train --set
                .optSeed(7)
                .optRunsRoot(Path.of(System.getProperty("gantry.runs", "runs")))   // NNNNN-<preset>/ in it
                .optListener(TrainingListener.everyEpoch(p -> System.out.println(p)))
                .build()                                            // config resolved and validated here
                .train();                                           // config.json, stats, checkpoints, report.html
        try (Generator g = run.generator()) {                       // G of the newest checkpoint, by itself
            float[] x = g.sample(16, 0);                            // [16, C*H*W] in [0, 1]
            System.out.printf("%d samples of %d values from %s%n", x.length / g.dim(), g.dim(), g.checkpoint());
            System.out.println("grid: " + g.writePng(run.runDirectory().resolve("grid.png"), 64, 0));
            MetricResult parzen = g.evaluate("parzen10k");          // Table 1's protocol, against the test split
            System.out.printf("%s nats (se %.2f)%n", parzen, (Double) parzen.fields().get("se"));
        }
    }
}
