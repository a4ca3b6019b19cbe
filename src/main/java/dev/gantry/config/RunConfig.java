package dev.gantry.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.gantry.BadInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that determines a training run, as one typed, validated value.
 *
 * <p>The defaults are the settings of Goodfellow et al. (2014) for MNIST, taken from the authors'
 * {@code mnist.yaml} (see {@code shared/docs/protocols.md} §1); presets override only what differs.
 * Keys are written in snake_case in JSON files and in {@code --set section.key=value}.
 */
public record RunConfig(
        @JsonPropertyDescription("name of the preset this config started from") String preset,
        @JsonPropertyDescription("master seed: model init, noise, dropout and data order derive from it") long seed,
        DataConfig data,
        ModelConfig model,
        LossConfig loss,
        OptimConfig optim,
        TrainConfig train,
        MonitorConfig monitor,
        DiagnosticsConfig diagnostics) {

    /** Where the training images come from. */
    public record DataConfig(
            @JsonPropertyDescription("dataset: mnist | fashion-mnist | stacked-mnist | cifar10 | fake (synthetic 28x28 blobs, for tests) | ring8 | grid25 (2D Gaussian mixtures of PacGAN); `gantry data list` describes each") String name,
            @JsonPropertyDescription("directory of the dataset's files; empty = the cache (GANTRY_DATA or ~/.cache/gantry/NAME)") String dir,
            @JsonPropertyDescription("number of training images (file datasets: the first N of the training split; generated ones: how many to make)") int trainSize,
            @JsonPropertyDescription("semi-supervised: how many of the training images keep their labels, balanced per class (the first N/K of each); 0 = not semi-supervised") int labelled) {}

    /** Architecture of generator and discriminator. */
    public record ModelConfig(
            @JsonPropertyDescription("paper-mlp: an MLP generator and a maxout discriminator (the paper's with the defaults; PacGAN's 2D nets with other sizes) | dcgan: the all-convolutional nets of Radford et al. 2016 | ssgan-mlp: the weight-normalised semi-supervised nets of Salimans et al. 2016 | cgan-mlp: the conditional nets of Mirza & Osindero 2014, with the label in its own branch of G and D (needs model.conditional)") String arch,
            @JsonPropertyDescription("dimension of z") int noiseDim,
            @JsonPropertyDescription("uniform (U(-sqrt 3, sqrt 3), the paper) | normal (N(0, 1))") String noise,
            @JsonPropertyDescription("number of G's ReLU layers") int gLayers,
            @JsonPropertyDescription("width of each of G's ReLU layers") int gHidden,
            @JsonPropertyDescription("batch normalisation before each of G's ReLUs") boolean gBatchNorm,
            @JsonPropertyDescription("sigmoid (images in [0,1]) | linear") String gOutput,
            @JsonPropertyDescription("sigmoid output of paper-mlp: per_pixel (bias j starts at logit(mean of pixel j over the training set), the authors' init_sigmoid_bias_from_marginals) | scalar (every bias at logit(mean of all pixels), Gantry before December 2026)") String gOutputBias,
            @JsonPropertyDescription("number of maxout layers of D") int dLayers,
            @JsonPropertyDescription("maxout units per discriminator layer") int dUnits,
            @JsonPropertyDescription("linear pieces per maxout unit") int dPieces,
            @JsonPropertyDescription("spectral normalisation of every D layer (Miyato et al. 2018)") boolean dSpectralNorm,
            @JsonPropertyDescription("G weights ~ U(-r, r)") double gInitRange,
            @JsonPropertyDescription("D weights ~ U(-r, r)") double dInitRange,
            @JsonPropertyDescription("dropout keep probability of D's input pixels") double dKeepInput,
            @JsonPropertyDescription("dropout keep probability of the inputs of D's 2nd maxout and output layers") double dKeepHidden,
            @JsonPropertyDescription("dcgan: channels of D's first convolution and of G's last hidden map (d); each stride-2 stage doubles or halves it") int width,
            @JsonPropertyDescription("dcgan: number of stride-2 stages; 0 = down to a 4x4 (32, 64) or 7x7 (28) map") int depth,
            @JsonPropertyDescription("dcgan: kernel size of every (transposed) convolution: 4 (padding 1) or 5 (padding 2, output padding 1)") int kernel,
            @JsonPropertyDescription("dcgan: batch normalisation in D after every convolution but the first") boolean dBatchNorm,
            @JsonPropertyDescription("dcgan: weights ~ N(0, s^2) (Radford et al.: 0.02); biases and batch-norm shifts 0, scales 1") double initStd,
            @JsonPropertyDescription("dcgan: slope of D's LeakyReLU for negative inputs") double dLeak,
            @JsonPropertyDescription("dcgan: side of the images the nets are built for; 0 = the data's (a different value fails before training)") int imageSize,
            @JsonPropertyDescription("a conditional GAN p(x | y) on the data's class labels (Mirza & Osindero 2014): paper-mlp joins one-hot y to z in G and to x in D; cgan-mlp gives y its own layer in G and in D before a joint layer; dcgan joins it to z in G and uses a projection discriminator (Miyato & Koyama 2018)") boolean conditional,
            @JsonPropertyDescription("train an inference network Q beside G that predicts z from G(z) (the paper's section 7, the authors' inferer): MSE on G's samples cut from G's graph, Adam lr 1e-3; G and D unchanged. With loss.name = bigan, Q is BiGAN's encoder E, trained adversarially instead") boolean inferer,
            @JsonPropertyDescription("inferer: width of each of Q's ReLU layers") int qHidden,
            @JsonPropertyDescription("inferer: number of Q's ReLU layers") int qLayers) {}

    /** The adversarial objective. */
    public record LossConfig(
            @JsonPropertyDescription("gan (Goodfellow et al.) | wasserstein | hinge | least-squares | bigan (Donahue et al. 2017: D judges (x, E(x)) against (G(z), z); E is the model.inferer network, trained to fool D) | semi-supervised (Salimans et al. 2016: D a K+1-class classifier, with the cross-entropy on data.labelled images; G by feature matching; needs model.arch ssgan-mlp and the alternating schedule)") String name,
            @JsonPropertyDescription("gan: non-saturating (-log D(G(z))) | minimax (log(1 - D(G(z))))") String generator,
            @JsonPropertyDescription("gan: factor on D's loss; the authors' 0.5 halves D's effective learning rate") double dScale,
            @JsonPropertyDescription("clip D's parameters to [-c, c] after every D update (WGAN); 0 = off") double clip,
            @JsonPropertyDescription("weight of the gradient penalty E(|grad D(x_hat)| - 1)^2 on interpolates (WGAN-GP); 0 = off") double gpWeight) {}

    /** Optimizer and its schedules; G and D each get their own instance with these settings. */
    public record OptimConfig(
            @JsonPropertyDescription("sgd (classical momentum, paper) | adam") String name,
            @JsonPropertyDescription("initial learning rate") double lr,
            @JsonPropertyDescription("sgd: lr is divided by this after every minibatch") double lrDecay,
            @JsonPropertyDescription("sgd: floor of the decayed learning rate") double lrMin,
            @JsonPropertyDescription("sgd: momentum at the start") double momentumInit,
            @JsonPropertyDescription("sgd: momentum reached at momentum_saturate_epoch") double momentumFinal,
            @JsonPropertyDescription("sgd: epoch at which momentum starts rising linearly") int momentumStartEpoch,
            @JsonPropertyDescription("sgd: epoch at which momentum reaches momentum_final") int momentumSaturateEpoch,
            @JsonPropertyDescription("adam: beta1") double beta1,
            @JsonPropertyDescription("adam: beta2") double beta2,
            @JsonPropertyDescription("adam: epsilon") double eps,
            @JsonPropertyDescription("D's initial learning rate; 0 = the same as lr (two rates: the two time-scale update rule of Heusel et al. 2017)") double dLr) {

        /** D's optimizer settings: these, with lr replaced by d_lr when d_lr > 0. */
        public OptimConfig forDiscriminator() {
            return dLr > 0 ? new OptimConfig(name, dLr, lrDecay, lrMin, momentumInit, momentumFinal, momentumStartEpoch,
                    momentumSaturateEpoch, beta1, beta2, eps, dLr) : this;
        }
    }

    /** The training loop. */
    public record TrainConfig(
            @JsonPropertyDescription("number of passes over the training set") int epochs,
            @JsonPropertyDescription("minibatch size m") int batchSize,
            @JsonPropertyDescription("simultaneous (authors' code: D and G updated from one minibatch) | alternating (Algorithm 1: k D steps, then one G step)") String schedule,
            @JsonPropertyDescription("alternating: discriminator steps per generator step") int k,
            @JsonPropertyDescription("write a stats.jsonl line every N steps") int statsEvery,
            @JsonPropertyDescription("how many checkpoints to keep (newest)") int checkpointKeep,
            @JsonPropertyDescription("also keep for good the checkpoint of every N-th epoch (0 = none), for choosing one later") int keepEvery,
            @JsonPropertyDescription("side of the square sample grid written every epoch") int gridSide,
            @JsonPropertyDescription("how a step's gradients are computed: native (the authors' simultaneous SGD step of the paper-mlp networks, G without batch norm, as one pass of Gantry's native kernels and the engine's BLAS, built by mvn where gcc is: docs/performance.md; where it does not apply, hand) | hand (G's and D's layers back-propagated by hand where the models allow it: paper-mlp without conditioning, spectral norm, gradient penalty, Q or labels; else autograd) | autograd (the engine's autograd for every step, Gantry before December 2026; a config written before this key existed reads as autograd)") String backward,
            @JsonPropertyDescription("where the native step's dropout draws come from: native (a counter-based generator in the native kernels, keyed by one draw from the engine's generator a step) | engine (the engine's generator, the hand step's own stream: then native and hand steps agree up to rounding). Only the native step reads it; a config written before this key existed reads as engine") String dropoutDraws,
            @JsonPropertyDescription("rate a of an exponential moving average of D's parameters (Polyak averaging): avg <- avg + a (param - avg) after every D update, from 0, divided by 1 - (1 - a)^t when read; Salimans et al. 2016 test their semi-supervised D with a = 1e-4. 0 = none. gantry probe reports D's own classifier with it") double dAverage,
            @JsonPropertyDescription("rate a of an exponential moving average of G's parameters, kept as train.d_average is for D, after every G update (Yazıcı et al. 2019 sample with it, a = 1e-3 or 1e-4). It changes no step of training; the Parzen monitor adds a parzen-valid-average record, the grids a samples/average-epoch-NNNN.png, and eval, sample and metric use the averaged G unless --generator last. gantry resume --set train.g_average=R starts the average again at rate R from the checkpoint on (the trajectory goes on unchanged; event g_average_restarted). 0 = none") double gAverage) {}

    /** Evaluations run while training. */
    public record MonitorConfig(
            @JsonPropertyDescription("Parzen estimate on validation every N epochs; 0 = off") int parzenEvery,
            @JsonPropertyDescription("number of generated samples (kernel centres) of the monitor") int parzenSamples,
            @JsonPropertyDescription("kernel width of the monitor (the authors used 0.2)") double parzenSigma,
            @JsonPropertyDescription("number of validation images scored by the monitor") int parzenPoints,
            @JsonPropertyDescription("registered metrics to run as monitors, comma-separated (e.g. fid-lenet10k,classes10k; gantry eval --help lists them), against the validation split; empty = none") String metrics,
            @JsonPropertyDescription("run monitor.metrics every N epochs; 0 = off") int metricsEvery) {}

    /** Alarms for the pathologies of GAN training, raised while it runs (docs/diagnostics.md). */
    public record DiagnosticsConfig(
            @JsonPropertyDescription("watch for vanishing gradients, mode collapse and divergence") boolean enabled,
            @JsonPropertyDescription("vanishing gradient: mean D(G(z)) below this ...") double vanishingScore,
            @JsonPropertyDescription("... while |grad G| is below this fraction of its largest value so far") double vanishingGradRatio,
            @JsonPropertyDescription("mode collapse: mean pairwise distance of the fixed-noise samples falls below this fraction of a real batch's, after having reached it") double collapseRatio,
            @JsonPropertyDescription("mode collapse on labelled data with a shipped classifier: fewer than this fraction of the classes covered by 1,000 samples (each >= 1 % at confidence >= 0.9), after having covered that many") double collapseClassFraction) {}

    /**
     * Keys that {@code gantry resume --set} may change: they decide how long a run goes on and what
     * it records, never the trajectory of its parameters.
     */
    public static final java.util.List<String> RESUMABLE_KEYS = java.util.List.of(
            "train.epochs", "train.stats_every", "train.checkpoint_keep", "train.keep_every", "train.grid_side", "train.g_average",
            "monitor.parzen_every", "monitor.parzen_samples", "monitor.parzen_sigma", "monitor.parzen_points",
            "monitor.metrics", "monitor.metrics_every",
            "diagnostics.enabled", "diagnostics.vanishing_score", "diagnostics.vanishing_grad_ratio", "diagnostics.collapse_ratio",
            "diagnostics.collapse_class_fraction");

    /** Names of losses registered from Java code (Losses.register), which loss.name accepts beside Gantry's own. */
    private static final java.util.Set<String> REGISTERED_LOSSES = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

    /**
     * From now on (in this process) {@code loss.name} accepts {@code name}: called by the loss
     * registry when code outside Gantry registers a loss.
     */
    public static void acceptLossName(String name) {
        REGISTERED_LOSSES.add(name);
    }

    /** Largest sample grid: 64² = 4,096 images a grid. */
    public static final int MAX_GRID_SIDE = 64;

    /** Largest sample or point count of the Parzen monitor (the full protocol uses 10,000). */
    public static final int MAX_MONITOR_SAMPLES = 100_000;

    /** The paper's MNIST settings: every preset starts from these. */
    public static RunConfig defaults() {
        return new RunConfig(
                "defaults",
                1234L,
                new DataConfig("mnist", "", 50_000, 0),
                new ModelConfig("paper-mlp", 100, "uniform", 2, 1200, false, "sigmoid", "per_pixel", 2, 240, 5, false, 0.05, 0.005, 0.8, 0.5,
                        64, 0, 4, false, 0.02, 0.2, 0, false, false, 1200, 2),
                new LossConfig("gan", "non-saturating", 0.5, 0, 0),
                new OptimConfig("sgd", 0.1, 1.000004, 1e-6, 0.5, 0.7, 1, 250, 0.5, 0.999, 1e-8, 0),
                new TrainConfig(25, 100, "simultaneous", 1, 50, 3, 0, 10, "native", "native", 0, 0),
                new MonitorConfig(1, 100, 0.2, 10_000, "", 0),
                new DiagnosticsConfig(true, 0.05, 0.05, 0.4, 0.8));
    }

    /**
     * Checks every value against its allowed range.
     *
     * @throws BadInputException naming each offending key and what was expected
     */
    public RunConfig validate() {
        List<String> errors = new ArrayList<>();
        if (data.name() == null || data.name().isBlank()) errors.add("data.name must name a dataset (got '" + data.name() + "')");
        positive(errors, "data.train_size", data.trainSize());
        if (model.arch() == null || model.arch().isBlank()) errors.add("model.arch must name an architecture (got '" + model.arch() + "')");
        positive(errors, "model.noise_dim", model.noiseDim());
        oneOf(errors, "model.noise", model.noise(), "uniform", "normal");
        positive(errors, "model.g_layers", model.gLayers());
        oneOf(errors, "model.g_output", model.gOutput(), "sigmoid", "linear");
        oneOf(errors, "model.g_output_bias", model.gOutputBias(), "per_pixel", "scalar");
        oneOf(errors, "train.backward", train.backward(), "native", "hand", "autograd");
        oneOf(errors, "train.dropout_draws", train.dropoutDraws(), "native", "engine");
        positive(errors, "model.d_layers", model.dLayers());
        positive(errors, "model.g_hidden", model.gHidden());
        positive(errors, "model.d_units", model.dUnits());
        positive(errors, "model.d_pieces", model.dPieces());
        positive(errors, "model.g_init_range", model.gInitRange());
        positive(errors, "model.d_init_range", model.dInitRange());
        probability(errors, "model.d_keep_input", model.dKeepInput());
        probability(errors, "model.d_keep_hidden", model.dKeepHidden());
        positive(errors, "model.width", model.width());
        if (model.depth() < 0) errors.add("model.depth must be >= 0 (got " + model.depth() + ")");
        if (model.kernel() != 4 && model.kernel() != 5) errors.add("model.kernel must be 4 or 5 (got " + model.kernel() + ")");
        positive(errors, "model.init_std", model.initStd());
        if (!(model.dLeak() >= 0 && model.dLeak() < 1)) errors.add("model.d_leak must be in [0, 1) (got " + model.dLeak() + ")");
        if (model.qHidden() <= 0) errors.add("model.q_hidden must be > 0 (got " + model.qHidden() + ")");
        if (model.qLayers() < 0) errors.add("model.q_layers must be >= 0 (got " + model.qLayers() + ")");
        if (model.imageSize() < 0) errors.add("model.image_size must be >= 0 (got " + model.imageSize() + ")");
        List<String> losses = new ArrayList<>(List.of("gan", "wasserstein", "hinge", "least-squares", "bigan", "semi-supervised"));
        losses.addAll(REGISTERED_LOSSES);   // those registered from Java code (Losses.register)
        if (!losses.contains(loss.name())) {
            errors.add("loss.name must be one of " + String.join(", ", losses) + " (got '" + loss.name() + "'; a loss of your own"
                    + " is registered from Java with Gantry.registerLoss, in every process that trains or loads a run naming it)");
        }
        if ("semi-supervised".equals(loss.name())) {
            if (!"ssgan-mlp".equals(model.arch())) errors.add("loss.name = semi-supervised needs a classifying D: model.arch = ssgan-mlp (got " + model.arch() + ")");
            if (!"alternating".equals(train.schedule())) errors.add("loss.name = semi-supervised: train.schedule must be alternating (got " + train.schedule() + ")");
            if (data.labelled() <= 0) errors.add("loss.name = semi-supervised: data.labelled must name how many labelled images (e.g. 100)");
        } else if (data.labelled() != 0) {
            errors.add("data.labelled = " + data.labelled() + " is used only by loss.name = semi-supervised");
        }
        if ("bigan".equals(loss.name()) && !model.inferer()) {
            errors.add("loss.name = bigan trains an encoder E beside G: set model.inferer = true (E has Q's sizes, model.q_hidden and model.q_layers)");
        }
        if ("bigan".equals(loss.name()) && loss.gpWeight() > 0) {
            errors.add("loss.gp_weight: the gradient penalty is not available with loss.name = bigan (D's input is an (x, z) pair)");
        }
        oneOf(errors, "loss.generator", loss.generator(), "non-saturating", "minimax");
        positive(errors, "loss.d_scale", loss.dScale());
        if (!(loss.clip() >= 0)) errors.add("loss.clip must be >= 0 (got " + loss.clip() + ")");
        if (!(loss.gpWeight() >= 0)) errors.add("loss.gp_weight must be >= 0 (got " + loss.gpWeight() + ")");
        oneOf(errors, "optim.name", optim.name(), "sgd", "adam");
        positive(errors, "optim.lr", optim.lr());
        if (!(optim.dLr() >= 0)) errors.add("optim.d_lr must be >= 0, 0 meaning the same as optim.lr (got " + optim.dLr() + ")");
        if (!(optim.lrDecay() >= 1.0)) errors.add("optim.lr_decay must be >= 1 (got " + optim.lrDecay() + ")");
        if (!(optim.lrMin() >= 0)) errors.add("optim.lr_min must be >= 0 (got " + optim.lrMin() + ")");
        unitInterval(errors, "optim.momentum_init", optim.momentumInit());
        unitInterval(errors, "optim.momentum_final", optim.momentumFinal());
        if (optim.momentumStartEpoch() < 0) errors.add("optim.momentum_start_epoch must be >= 0 (got " + optim.momentumStartEpoch() + ")");
        if (optim.momentumSaturateEpoch() <= optim.momentumStartEpoch()) {
            errors.add("optim.momentum_saturate_epoch must be > optim.momentum_start_epoch (got "
                    + optim.momentumSaturateEpoch() + " <= " + optim.momentumStartEpoch() + ")");
        }
        unitInterval(errors, "optim.beta1", optim.beta1());
        unitInterval(errors, "optim.beta2", optim.beta2());
        positive(errors, "optim.eps", optim.eps());
        positive(errors, "train.epochs", train.epochs());
        positive(errors, "train.batch_size", train.batchSize());
        if (train.batchSize() > data.trainSize()) {
            errors.add("train.batch_size (" + train.batchSize() + ") must not exceed data.train_size (" + data.trainSize() + ")");
        }
        oneOf(errors, "train.schedule", train.schedule(), "simultaneous", "alternating");
        positive(errors, "train.k", train.k());
        positive(errors, "train.stats_every", train.statsEvery());
        positive(errors, "train.checkpoint_keep", train.checkpointKeep());
        if (train.keepEvery() < 0) errors.add("train.keep_every must be >= 0 (got " + train.keepEvery() + ")");
        if (!(train.dAverage() >= 0 && train.dAverage() < 1)) errors.add("train.d_average must be in [0, 1) (got " + train.dAverage() + ")");
        if (!(train.gAverage() >= 0 && train.gAverage() < 1)) errors.add("train.g_average must be in [0, 1) (got " + train.gAverage() + ")");
        positive(errors, "train.grid_side", train.gridSide());
        if (train.gridSide() > MAX_GRID_SIDE) errors.add("train.grid_side must be at most " + MAX_GRID_SIDE + " (got " + train.gridSide() + ")");
        if ("alternating".equals(train.schedule()) && (long) train.batchSize() * train.k() > data.trainSize()) {
            errors.add("train.batch_size × train.k (" + (long) train.batchSize() * train.k() + ") must not exceed data.train_size ("
                    + data.trainSize() + "): an epoch would have no step");
        }
        if (monitor.parzenEvery() < 0) errors.add("monitor.parzen_every must be >= 0 (got " + monitor.parzenEvery() + ")");
        positive(errors, "monitor.parzen_samples", monitor.parzenSamples());
        if (monitor.parzenSamples() > MAX_MONITOR_SAMPLES) errors.add("monitor.parzen_samples must be at most " + MAX_MONITOR_SAMPLES + " (got " + monitor.parzenSamples() + ")");
        if (monitor.parzenPoints() > MAX_MONITOR_SAMPLES) errors.add("monitor.parzen_points must be at most " + MAX_MONITOR_SAMPLES + " (got " + monitor.parzenPoints() + ")");
        positive(errors, "monitor.parzen_sigma", monitor.parzenSigma());
        positive(errors, "monitor.parzen_points", monitor.parzenPoints());
        if (monitor.metricsEvery() < 0) errors.add("monitor.metrics_every must be >= 0 (got " + monitor.metricsEvery() + ")");
        if (monitor.metrics() == null) errors.add("monitor.metrics must be a string of metric names");
        probability(errors, "diagnostics.vanishing_score", diagnostics.vanishingScore());
        probability(errors, "diagnostics.vanishing_grad_ratio", diagnostics.vanishingGradRatio());
        probability(errors, "diagnostics.collapse_ratio", diagnostics.collapseRatio());
        probability(errors, "diagnostics.collapse_class_fraction", diagnostics.collapseClassFraction());
        if (!errors.isEmpty()) {
            throw new BadInputException("invalid config: " + String.join("; ", errors));
        }
        return this;
    }

    private static void positive(List<String> errors, String key, double v) {
        if (!(v > 0) || Double.isInfinite(v)) errors.add(key + " must be > 0 (got " + v + ")");
    }

    private static void positive(List<String> errors, String key, long v) {
        if (v <= 0) errors.add(key + " must be > 0 (got " + v + ")");
    }

    private static void probability(List<String> errors, String key, double v) {
        if (!(v > 0 && v <= 1)) errors.add(key + " must be in (0, 1] (got " + v + ")");
    }

    private static void unitInterval(List<String> errors, String key, double v) {
        if (!(v >= 0 && v < 1)) errors.add(key + " must be in [0, 1) (got " + v + ")");
    }

    private static void oneOf(List<String> errors, String key, String v, String... allowed) {
        if (!List.of(allowed).contains(v)) {
            errors.add(key + " must be one of " + String.join(", ", allowed) + " (got '" + v + "')");
        }
    }
}
