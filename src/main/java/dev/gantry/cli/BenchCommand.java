package dev.gantry.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageSet;
import dev.gantry.train.GanTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gantry bench step}: times training steps and, in the same process, the matrix products
 * those steps contain, and prints both and their ratio.
 *
 * <p>The matrix products of a step are listed from the layer sizes: every dense or maxout layer
 * does one product forward, one for its weight gradient when its parameters train in that pass,
 * and one for its input gradient when its input needs one. The step and the products are timed in
 * alternating blocks and the median block is reported, so both see the same machine state.
 *
 * <p>For {@code model.arch = dcgan} the reference is the step's convolutions, transposed
 * convolutions and dense layers instead, each timed alone with the gradients its passes need
 * ({@link BenchConv}); its target ratio is 1.5 (the MLP's 1.3).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Speed benchmarks (not tests).",
        subcommands = {BenchCommand.Step.class, BenchCommand.Memory.class})
public final class BenchCommand extends CommandGroup {

    /** One matrix product [m,k]·[k,n], done {@code times} per step. */
    record MatMul(int m, int k, int n) {
        double flops() {
            return 2.0 * m * k * n;
        }
    }

    /** {@code gantry bench step}. */
    @Command(name = "step", mixinStandardHelpOptions = true,
            description = {"Time training steps against the matrix products they contain (random data of the preset's shape).",
                    "For model.arch = dcgan: against the convolutions, transposed convolutions and dense products they contain."})
    public static final class Step implements Callable<Integer> {

        @Mixin
        PresetOptions config = new PresetOptions("paper-mnist");

        @Option(names = "--steps", defaultValue = "50", description = "steps per timed block (default: ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--blocks", defaultValue = "5", description = "timed blocks of each kind (default: ${DEFAULT-VALUE})")
        int blocks;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            if (steps <= 0 || blocks <= 0) {
                throw new BadInputException("--steps and --blocks must be > 0");
            }
            RunConfig c = config.load(List.of("train.stats_every=" + steps, "monitor.parzen_every=0"));
            int batch = c.train().batchSize();
            int perStep = "alternating".equals(c.train().schedule()) ? c.train().k() : 1;
            int n = batch * perStep * steps;
            c = ConfigLoader.with(c, "data.train_size=" + n);
            dev.gantry.data.ImageShape shape = dev.gantry.data.Datasets.of(c).shape();
            float[] pixels = new float[n * shape.dim()];
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) rng.nextDouble();
            }
            ImageSet data = ImageSet.unlabelled("bench", shape, pixels);
            if ("dcgan".equals(c.model().arch())) {
                return convolutional(c, shape, data);
            }
            double[] stepMs = new double[blocks];
            double[] mmMs = new double[blocks];
            double peakMs;
            dev.gantry.train.PhaseTimes phases = new dev.gantry.train.PhaseTimes();
            List<MatMul> products;
            double flops;
            boolean hand;
            String backward;
            try (GanTrainer trainer = new GanTrainer(c, data); NDManager nd = NDManager.newBaseManager()) {
                products = products(c, trainer);
                flops = products.stream().mapToDouble(MatMul::flops).sum();
                hand = trainer.usesHandBackward();
                backward = trainer.backwardInUse();
                List<NDArray[]> operands = new ArrayList<>();
                for (MatMul p : products) {
                    operands.add(new NDArray[] {nd.randomUniform(-1, 1, new Shape(p.m(), p.k())),
                            nd.randomUniform(-1, 1, new Shape(p.k(), p.n()))});
                }
                trainer.train(1);          // warm-up: allocator, JIT, optimizer state
                timeProducts(nd, operands, steps);
                for (int b = 0; b < blocks; b++) {
                    long t0 = System.nanoTime();
                    trainer.train(trainer.epoch() + 1);
                    stepMs[b] = (System.nanoTime() - t0) / 1e6 / steps;
                    mmMs[b] = timeProducts(nd, operands, steps) / steps;
                }
                // The breakdown comes from blocks of their own: reading the clock between phases
                // is not free, and the timed blocks above do not read it.
                trainer.timePhases(phases);
                for (int b = 0; b < blocks; b++) {
                    trainer.train(trainer.epoch() + 1);
                }
                trainer.timePhases(null);
                peakMs = peakProduct(nd, blocks);
            }
            double step = median(stepMs);
            double mm = median(mmMs);
            double ratio = step / mm;
            double peak = 2.0 * PEAK_SIDE * PEAK_SIDE * PEAK_SIDE / 1e9 / (peakMs / 1e3);
            if (json.json) {
                ObjectNode o = ConfigLoader.mapper().createObjectNode();
                o.put("preset", c.preset());
                o.put("batch", batch);
                o.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
                o.put("step_ms", step);
                o.put("matmul_ms", mm);
                o.put("ratio", ratio);
                o.put("matmuls_per_step", products.size());
                o.put("gflop_per_step", flops / 1e9);
                o.put("matmul_gflops", flops / 1e9 / (mm / 1e3));
                o.put("backward", backward);
                if ("native".equals(c.train().backward()) && !"native".equals(backward)) {
                    o.put("native_unavailable", nativeUnavailable(c));
                }
                o.put("target_ratio", 1.2);
                o.put("peak_gflops", peak);
                o.put("products_at_peak_ms", flops / 1e6 / peak);
                var parts = o.putObject("phases_ms");
                phases.perStepMillis().forEach(parts::put);
                System.out.println(o.toString());
            } else {
                System.out.printf("preset %s, batch %d, schedule %s, backward %s, threads %s, %d blocks of %d steps (median block)%n",
                        c.preset(), batch, c.train().schedule(), backward,
                        System.getProperty("ai.djl.pytorch.num_threads", "default"), blocks, steps);
                if ("native".equals(c.train().backward()) && !"native".equals(backward)) {
                    System.out.println("train.backward = native asked for, not used: " + nativeUnavailable(c));
                }
                System.out.printf("matrix products of one step: %d products, %.3f GFLOP, %.2f ms (%.1f GFLOP/s)%n",
                        products.size(), flops / 1e9, mm, flops / 1e9 / (mm / 1e3));
                System.out.printf("full training step:          %.2f ms%n", step);
                System.out.printf("ratio step / matrix products: %.3f (target <= 1.2)%n", ratio);
                System.out.printf("this machine's product rate at large sizes: %.1f GFLOP/s (%d x %d x %d, median of %d);"
                        + " at that rate the step's products would take %.2f ms%n", peak, PEAK_SIDE, PEAK_SIDE, PEAK_SIDE, blocks,
                        flops / 1e6 / peak);
                System.out.printf("where a step's time goes (%d more blocks, the clock read between phases; the products are inside them):%n", blocks);
                phases.perStepMillis().forEach((k, v) -> System.out.printf("  %-36s %8.2f ms%n", k, v));
            }
            return Main.OK;
        }

        /**
         * The step against the convolutions, transposed convolutions and dense products it contains
         * ({@link BenchConv}), timed in the same alternating blocks as the paper MLP's products.
         */
        private int convolutional(RunConfig c, dev.gantry.data.ImageShape shape, ImageSet data) {
            int batch = c.train().batchSize();
            List<BenchConv.Use> uses = BenchConv.uses(c, shape);
            int ops = uses.stream().mapToInt(BenchConv.Use::times).sum();
            double flops = uses.stream().mapToDouble(u -> u.flops(batch)).sum();
            double[] stepMs = new double[blocks];
            double[] refMs = new double[blocks];
            double[][] useMs = new double[uses.size()][blocks];     // per step: times × one run
            try (GanTrainer trainer = new GanTrainer(c, data); BenchConv.Timer timer = new BenchConv.Timer(uses, batch)) {
                trainer.train(1);          // warm-up: allocator, JIT, optimizer state
                timer.time(Math.min(steps, 5));
                for (int b = 0; b < blocks; b++) {
                    long t0 = System.nanoTime();
                    trainer.train(trainer.epoch() + 1);
                    stepMs[b] = (System.nanoTime() - t0) / 1e6 / steps;
                    double[] one = timer.time(steps);
                    for (int i = 0; i < uses.size(); i++) {
                        useMs[i][b] = one[i] * uses.get(i).times();
                        refMs[b] += useMs[i][b];
                    }
                }
            }
            double step = median(stepMs);
            double ref = median(refMs);
            double ratio = step / ref;
            String threads = System.getProperty("ai.djl.pytorch.num_threads", "default");
            String counted = "each convolution, transposed convolution and dense layer of G and D once per pass of the step that runs it,"
                    + " timed alone on random tensors: forward (bias included) and the weight and/or input gradient that pass needs;"
                    + " not batch norm, activations, losses or the optimizer";
            boolean penalty = c.loss().gpWeight() > 0;
            // Per kind: layers, runs per step, GFLOP and the median over blocks of the kind's ms.
            Map<BenchConv.Kind, double[]> kinds = new java.util.EnumMap<>(BenchConv.Kind.class);
            for (BenchConv.Kind k : BenchConv.Kind.values()) {
                List<Integer> idx = new ArrayList<>();
                for (int i = 0; i < uses.size(); i++) {
                    if (uses.get(i).layer().kind() == k) {
                        idx.add(i);
                    }
                }
                if (idx.isEmpty()) {
                    continue;
                }
                double[] perBlock = new double[blocks];
                for (int b = 0; b < blocks; b++) {
                    for (int i : idx) {
                        perBlock[b] += useMs[i][b];
                    }
                }
                long layers = idx.stream().map(i -> uses.get(i).layer()).distinct().count();
                int runs = idx.stream().mapToInt(i -> uses.get(i).times()).sum();
                double gflop = idx.stream().mapToDouble(i -> uses.get(i).flops(batch)).sum() / 1e9;
                kinds.put(k, new double[] {layers, runs, gflop, median(perBlock)});
            }
            if (json.json) {
                ObjectNode o = ConfigLoader.mapper().createObjectNode();
                o.put("preset", c.preset());
                o.put("batch", batch);
                o.put("threads", threads);
                o.put("step_ms", step);
                o.put("matmul_ms", ref);
                o.put("ratio", ratio);
                o.put("matmuls_per_step", ops);
                o.put("gflop_per_step", flops / 1e9);
                o.put("matmul_gflops", flops / 1e9 / (ref / 1e3));
                o.put("target_ratio", 1.5);
                o.put("reference", "convolutions and dense products");
                o.put("counted", counted);
                o.put("gradient_penalty", penalty ? "not counted" : "none");
                var arr = o.putArray("breakdown");
                kinds.forEach((k, v) -> arr.addObject().put("kind", k.label).put("layers", (int) v[0]).put("runs_per_step", (int) v[1])
                        .put("gflop_per_step", v[2]).put("ms", v[3]));
                var layers = o.putArray("layers");
                for (int i = 0; i < uses.size(); i++) {
                    BenchConv.Use u = uses.get(i);
                    layers.addObject().put("layer", u.layer().describe().replaceAll(" +", " ")).put("kind", u.layer().kind().label)
                            .put("input", u.layer().inputShape(batch).toString()).put("weight_grad", u.weightGrad())
                            .put("input_grad", u.inputGrad()).put("runs_per_step", u.times()).put("ms", median(useMs[i]));
                }
                System.out.println(o.toString());
            } else {
                System.out.printf("preset %s, batch %d, schedule %s, threads %s, %d blocks of %d steps (median block)%n",
                        c.preset(), batch, c.train().schedule(), threads, blocks, steps);
                System.out.println("counted: " + counted + (penalty ? "; the gradient penalty's passes are NOT counted" : ""));
                int width = uses.stream().mapToInt(u -> u.layer().describe().length()).max().orElse(0);
                System.out.printf("  %-" + width + "s  %-18s %s  %8s%n", "layer", "each run", "runs", "ms/step");
                for (int i = 0; i < uses.size(); i++) {
                    BenchConv.Use u = uses.get(i);
                    System.out.printf("  %-" + width + "s  %-18s %4d  %8.2f%n", u.layer().describe(), u.grads(), u.times(), median(useMs[i]));
                }
                kinds.forEach((k, v) -> System.out.printf("  %-14s %d layers, %2d runs per step, %.3f GFLOP, %8.2f ms%n",
                        k.label, (int) v[0], (int) v[1], v[2], v[3]));
                System.out.printf("convolutions and products of one step: %d runs, %.3f GFLOP, %.2f ms (%.1f GFLOP/s)%n",
                        ops, flops / 1e9, ref, flops / 1e9 / (ref / 1e3));
                System.out.printf("full training step:          %.2f ms%n", step);
                System.out.printf("ratio step / convolutions and products: %.3f (target <= 1.5)%n", ratio);
            }
            return Main.OK;
        }

        /** Why a config that asks for the native step did not get it. */
        private static String nativeUnavailable(RunConfig c) {
            if (!dev.gantry.nn.Kernels.available()) {
                return dev.gantry.nn.Kernels.unavailableReason();
            }
            return "it covers the unconditional paper-mlp networks without spectral norm, under SGD or Adam, without a gradient"
                    + " penalty, BiGAN or semi-supervised training (preset " + c.preset() + ": arch " + c.model().arch()
                    + ", optimizer " + c.optim().name() + ")";
        }

        /** Side of the square product that measures the machine's product rate at large sizes. */
        private static final int PEAK_SIDE = 1024;

        /** Median ms of one PEAK_SIDE³ product through the engine (after one warm-up), over {@code runs}. */
        private static double peakProduct(NDManager nd, int runs) {
            try (NDManager sm = nd.newSubManager()) {
                NDArray a = sm.randomUniform(-1, 1, new Shape(PEAK_SIDE, PEAK_SIDE));
                NDArray b = sm.randomUniform(-1, 1, new Shape(PEAK_SIDE, PEAK_SIDE));
                List<NDArray[]> one = List.<NDArray[]>of(new NDArray[] {a, b});
                timeProducts(sm, one, 1);
                double[] ms = new double[runs];
                for (int r = 0; r < runs; r++) {
                    ms[r] = timeProducts(sm, one, 1);
                }
                return median(ms);
            }
        }

        private static double timeProducts(NDManager nd, List<NDArray[]> operands, int repeats) {
            long t0 = System.nanoTime();
            for (int r = 0; r < repeats; r++) {
                try (NDManager sm = nd.newSubManager()) {
                    for (NDArray[] ab : operands) {
                        NDArray out = ab[0].matMul(ab[1]);
                        out.attach(sm);
                    }
                    // Force completion of the block before the clock stops.
                }
            }
            return (System.nanoTime() - t0) / 1e6;
        }

        private static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }

    /**
     * {@code gantry bench memory}: trains a preset for N steps and reports the process's resident
     * memory (RSS, from /proc/self/status) as it goes — the check that a training step, gradient
     * penalty included, leaks nothing.
     */
    @Command(name = "memory", mixinStandardHelpOptions = true,
            description = "Train N steps of a preset and report resident memory (RSS) growth; a leak check.")
    public static final class Memory implements Callable<Integer> {

        @Mixin
        PresetOptions config = new PresetOptions("toy-ring8");

        @Option(names = "--steps", defaultValue = "5000", description = "training steps (default: ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--warmup", defaultValue = "500", description = "steps before the baseline is taken (default: ${DEFAULT-VALUE})")
        int warmup;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws Exception {
            if (steps <= 0 || warmup < 0) {
                throw new BadInputException("--steps must be > 0 and --warmup >= 0");
            }
            RunConfig c = config.load(List.of("monitor.parzen_every=0"));
            ImageSet data = dev.gantry.data.Datasets.trainingSet(c, System.err);
            List<long[]> samples = new ArrayList<>();
            try (GanTrainer trainer = new GanTrainer(c, data)) {
                int perEpoch = trainer.stepsPerEpoch();
                long[] baseline = {-1};
                trainer.addListener(new dev.gantry.train.TrainingListener() {
                    @Override
                    public void onStep(dev.gantry.train.TrainingView t, dev.gantry.train.StepStats s) {
                        long done = t.step();
                        if (done == warmup) {
                            baseline[0] = rssKb();
                        }
                        if (done > warmup && (done - warmup) % Math.max(1, steps / 10) == 0) {
                            samples.add(new long[] {done - warmup, rssKb()});
                        }
                        if (done >= warmup + steps) {
                            t.requestStop();
                        }
                    }
                });
                if (warmup == 0) {
                    baseline[0] = rssKb();
                }
                trainer.train((warmup + steps) / perEpoch + 2);
                long growth = samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[1] - baseline[0];
                if (json.json) {
                    ObjectNode o = ConfigLoader.mapper().createObjectNode();
                    o.put("preset", c.preset());
                    o.put("loss", c.loss().name());
                    o.put("gp_weight", c.loss().gpWeight());
                    o.put("steps", steps);
                    o.put("baseline_rss_mb", baseline[0] / 1024.0);
                    o.put("growth_mb", growth / 1024.0);
                    var arr = o.putArray("rss_mb");
                    samples.forEach(sm -> arr.addObject().put("step", sm[0]).put("rss_mb", sm[1] / 1024.0));
                    System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o));
                } else {
                    System.out.printf("preset %s (loss %s, gp_weight %s): RSS %.1f MB after %d warm-up steps%n",
                            c.preset(), c.loss().name(), c.loss().gpWeight(), baseline[0] / 1024.0, warmup);
                    for (long[] sm : samples) {
                        System.out.printf("  step %6d  RSS %8.1f MB  (%+.1f MB)%n", sm[0], sm[1] / 1024.0, (sm[1] - baseline[0]) / 1024.0);
                    }
                    System.out.printf("RSS growth over %d steps: %+.1f MB%n", steps, growth / 1024.0);
                }
            }
            return Main.OK;
        }

        static long rssKb() {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (java.io.IOException ignored) {
                // not Linux
            }
            return -1;
        }
    }

    /**
     * The matrix products of one training step of the MLP networks the trainer built, on their own
     * layer sizes, as the step computes them: with the hand-written backward ({@code train.backward
     * = hand}) D scores the real and fake batch in one pass of 2B rows and the fake rows serve both
     * losses; with autograd each of D's passes is its own.
     */
    static List<MatMul> products(RunConfig c, GanTrainer trainer) {
        if (!(trainer.generator() instanceof dev.gantry.models.PaperGenerator pg)
                || !(trainer.discriminator() instanceof dev.gantry.models.PaperDiscriminator pd)) {
            throw new BadInputException("bench step: model.arch = " + c.model().arch()
                    + " has no matrix-product reference (paper-mlp and dcgan have)");
        }
        int b = c.train().batchSize();
        int[][] g = pg.layerShapes().toArray(new int[0][]);
        int[][] d = pd.layerShapes().toArray(new int[0][]);
        List<MatMul> list = new ArrayList<>();
        boolean alternating = "alternating".equals(c.train().schedule());
        if (trainer.usesHandBackward()) {
            for (int i = 0; alternating && i < c.train().k(); i++) {
                pass(list, g, b, false, false);      // G samples for D, not differentiated
                pass(list, d, 2 * b, true, false);   // D on real and fake rows together
            }
            pass(list, g, b, true, false);           // G forward, backward to its weights
            if (!alternating) {
                pass(list, d, 2 * b, true, false);   // D on real and fake rows, to D's weights
                backward(list, d, b);                // the fake rows again, D held fixed, to G's samples
            } else {
                forward(list, d, b);                 // D on G's batch
                backward(list, d, b);                // to G's samples
            }
            return list;
        }
        if (alternating) {
            for (int i = 0; i < c.train().k(); i++) {
                pass(list, g, b, false, false);  // G samples for D, frozen
                pass(list, d, b, true, false);   // D on real
                pass(list, d, b, true, false);   // D on fake (cut from G)
            }
            pass(list, g, b, true, false);       // G forward for its step
            pass(list, d, b, false, true);       // frozen D, gradient to G's samples
        } else {
            pass(list, g, b, true, false);
            pass(list, d, b, true, false);       // D on real
            pass(list, d, b, true, false);       // D on fake, cut from G
            pass(list, d, b, false, true);       // frozen D on fake, gradient to G
        }
        return list;
    }

    /** Forward products, weight-gradient products when training, input-gradient products where needed. */
    private static void pass(List<MatMul> list, int[][] layers, int b, boolean trainable, boolean inputNeedsGrad) {
        for (int i = 0; i < layers.length; i++) {
            int in = layers[i][0];
            int out = layers[i][1];
            list.add(new MatMul(b, in, out));                // forward  [B,in]·[in,out]
            if (trainable) {
                list.add(new MatMul(out, b, in));            // dW = dYᵀ·X
            }
            boolean needInputGrad = i > 0 ? (trainable || inputNeedsGrad) : inputNeedsGrad;
            if (needInputGrad) {
                list.add(new MatMul(b, out, in));            // dX = dY·W
            }
        }
    }

    private static void forward(List<MatMul> list, int[][] layers, int b) {
        for (int[] l : layers) {
            list.add(new MatMul(b, l[0], l[1]));
        }
    }

    /** Input gradients through every layer, weights held fixed. */
    private static void backward(List<MatMul> list, int[][] layers, int b) {
        for (int[] l : layers) {
            list.add(new MatMul(b, l[1], l[0]));
        }
    }
}
