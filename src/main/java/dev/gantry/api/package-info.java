/**
 * Gantry as a Java library: the documented, stable surface. Everything outside this package (and
 * {@link dev.gantry.BadInputException}) is internal and may change without notice.
 *
 * <p>Train the GAN of Goodfellow et al. (2014), or a successor, into a run directory; restore its
 * generator from a checkpoint and sample; evaluate a registered metric:
 *
 * <pre>{@code
 * TrainingResult result = Experiment.builder()
 *         .setPreset("tiny")                                  // a preset of the command line
 *         .optSet("train.epochs", 2)                          // any config key, as --set key=value
 *         .optSeed(7)
 *         .optListener(TrainingListener.everyEpoch(p -> System.out.println(p)))
 *         .build()                                            // resolved and validated here
 *         .train();                                           // runs/NNNNN-tiny/, as gantry train
 * try (Generator g = result.generator()) {                    // the newest checkpoint's G
 *     float[] x = g.sample(16, 0);                            // [16, C*H*W] in [0, 1]
 *     g.writePng(result.runDirectory().resolve("grid.png"), 16, 0);
 *     MetricResult parzen = g.evaluate("parzen10k");          // Table 1's protocol
 * }
 * }</pre>
 *
 * <p>The entry points: {@link dev.gantry.api.Experiment} (a run's config, built DJL style with
 * {@code setX} for what is required and {@code optX} for what is optional) and its
 * {@link dev.gantry.api.TrainingResult}; {@link dev.gantry.api.TrainingListener} and
 * {@link dev.gantry.api.Progress} to watch training; {@link dev.gantry.api.Generator} (an
 * {@link java.lang.AutoCloseable} holding native memory); {@link dev.gantry.api.Metrics} and
 * {@link dev.gantry.api.MetricResult}; {@link dev.gantry.api.Loss} to plug in an adversarial
 * loss of your own; {@link dev.gantry.api.Gantry} for the static factories and the registries'
 * names.
 *
 * <p>What the command line does, the API does by the same code: a run trained here is a run of
 * {@code gantry train} (config.json, provenance.json, stats, sample grids, checkpoints, report),
 * which {@code gantry resume}, {@code gantry sample} and {@code gantry eval} accept, and the
 * other way round. Bad input throws {@link dev.gantry.BadInputException} with a message naming
 * the key or file and what was expected; nothing that existed is changed.
 *
 * <p>Threads: the engine (DJL with PyTorch) reads {@code -Dai.djl.pytorch.num_threads} once, when
 * it is first used. Repeating a run bit for bit needs the same seed and the same thread count.
 * The engine's random generator is process-wide: train and sample from one thread at a time.
 */
package dev.gantry.api;
