package dev.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.lab.Disjoint;
import dev.gantry.lab.Figure1;
import dev.gantry.lab.ForceField;
import dev.gantry.lab.OptimalD;
import dev.gantry.lab.Saturation;
import dev.gantry.lab.ValueIdentity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code gantry lab}: the theory experiments of issue #4, one subcommand per claim of Goodfellow et
 * al. (2014) (and of Arjovsky et al. 2017 for the Wasserstein distance); see {@code docs/theory.md}.
 *
 * <p>Every experiment writes its PNG under {@code --out} and prints its number on one line, or one
 * JSON object with {@code --json}; a bad parameter exits 2 with a message naming the option.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Theory experiments: numerical checks of the GAN paper's claims on 1D and 2D toys (docs/theory.md).",
                "Each writes a PNG to --out and prints its number; --json for machine-readable output.",
                "`gantry lab serve` instead trains a GAN live in a browser page (docs/lab.md)."},
        subcommands = {LabCommand.OptimalDCommand.class, LabCommand.ValueIdentityCommand.class,
                LabCommand.Figure1Command.class, LabCommand.SaturationCommand.class, LabCommand.DisjointCommand.class,
                LabCommand.ForceFieldCommand.class, LabServeCommand.class})
public final class LabCommand extends CommandGroup {

    /** {@code gantry lab ARGS} as a command line of its own, with {@link Main}'s exit codes (2 = bad input). */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new LabCommand());
        cl.setExecutionExceptionHandler(Main.newCommandLine().getExecutionExceptionHandler());
        return cl;
    }

    /** Runs {@code gantry lab ARGS} and returns the exit code. */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    /** Runs the lab on its own (before it is registered in {@link Main}): {@code java … dev.gantry.cli.LabCommand ARGS}. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Options every experiment has. */
    static final class Common {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "lab-out", description = "directory of the PNGs (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of every initialisation and batch (default: ${DEFAULT-VALUE})")
        long seed;

        @Mixin
        JsonOption json;
    }

    /** Prints a result: its line, or JSON with the experiment's name (NaN as null). */
    static int print(CommandLine.Model.CommandSpec spec, Common common, String experiment, Object result, String line) {
        PrintWriter out = spec.commandLine().getOut();
        if (common.json.json) {
            ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
            ObjectNode o = mapper.createObjectNode();
            o.put("experiment", experiment);
            o.setAll((ObjectNode) nanToNull(mapper.valueToTree(result)));
            try {
                out.println(mapper.writeValueAsString(o));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.println(line);
        }
        out.flush();
        return Main.OK;
    }

    private static JsonNode nanToNull(JsonNode n) {
        if (n instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNumber() && !Double.isFinite(e.getValue().asDouble())) {
                    e.setValue(o.nullNode());
                } else {
                    nanToNull(e.getValue());
                }
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isNumber() && !Double.isFinite(a.get(i).asDouble())) {
                    a.set(i, a.nullNode());
                } else {
                    nanToNull(a.get(i));
                }
            }
        }
        return n;
    }

    /** Options of {@code optimal-d} and {@code value-identity}: the same trained D. */
    static final class DOptions {
        private static final OptimalD.Params D = OptimalD.Params.defaults();

        @Option(names = "--data", paramLabel = "normal|bimodal", description = "p_data: N(0,1) or 1/2 N(-1.5,0.5^2) + 1/2 N(1.5,0.5^2) (default: ${DEFAULT-VALUE})")
        String data = D.data();

        @Option(names = "--g-mean", paramLabel = "M", description = "p_g = N(M, S^2) (default: ${DEFAULT-VALUE})")
        double gMean = D.gMean();

        @Option(names = "--g-std", paramLabel = "S", description = "(default: ${DEFAULT-VALUE})")
        double gStd = D.gStd();

        @Option(names = "--width", paramLabel = "N", description = "hidden units per layer of D, 1 -> N -> N -> 1 (default: ${DEFAULT-VALUE})")
        int width = D.width();

        @Option(names = "--activation", paramLabel = "relu|maxout", description = "(default: ${DEFAULT-VALUE})")
        String activation = D.activation();

        @Option(names = "--steps", paramLabel = "N", description = "Adam steps of D; the last third at lr/10, parameters averaged (default: ${DEFAULT-VALUE})")
        int steps = D.steps();

        @Option(names = "--batch", paramLabel = "N", description = "real and fake samples per step (default: ${DEFAULT-VALUE})")
        int batch = D.batch();

        @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
        double lr = D.lr();

        OptimalD.Params params(Common c) {
            return new OptimalD.Params(data, gMean, gStd, width, activation, steps, batch, lr, c.seed, c.out);
        }
    }

    @Command(name = "optimal-d", mixinStandardHelpOptions = true,
            description = {"Proposition 1: a trained D approaches D* = p_data/(p_data + p_g).",
                    "D is trained on samples of a known p_data and p_g; prints max |D(x) - D*(x)| where p_data + p_g",
                    "exceeds 1%% of its peak, and writes optimal-d.png."})
    static final class OptimalDCommand implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Common common;
        @Mixin DOptions options;

        @Override
        public Integer call() {
            OptimalD.Result r = OptimalD.run(options.params(common));
            return print(spec, common, "optimal-d", r, r.line());
        }
    }

    @Command(name = "value-identity", mixinStandardHelpOptions = true,
            description = {"Theorem 1: V(D*, G) = -log 4 + 2 JSD(p_data || p_g), and V(D, G) <= it.",
                    "V(D, G) with the trained D of optimal-d (same options) and V(D*, G) with D* in closed form, by",
                    "numerical integration; prints both, the gap and the identity's error, and writes value-identity.png."})
    static final class ValueIdentityCommand implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Common common;
        @Mixin DOptions options;

        @Override
        public Integer call() {
            ValueIdentity.Result r = ValueIdentity.run(options.params(common));
            return print(spec, common, "value-identity", r, r.line());
        }
    }

    @Command(name = "figure1", mixinStandardHelpOptions = true,
            description = {"The paper's Figure 1 in 1D: p_data, p_g and D at four moments of training.",
                    "Non-saturating loss, Algorithm 1; prints |mean D - 1/2| over the data region and the final JSD,",
                    "and writes figure1.png."})
    static final class Figure1Command implements Callable<Integer> {
        private static final Figure1.Params D = Figure1.Params.defaults();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Common common;

        @Option(names = "--generator", paramLabel = "affine|mlp", description = "G(z) = a z + b (exact p_g) or a 1 -> W -> W -> 1 ReLU MLP (p_g by KDE) (default: ${DEFAULT-VALUE})")
        String generator = D.generator();
        @Option(names = "--data-mean", paramLabel = "M", description = "p_data = N(M, S^2) (default: ${DEFAULT-VALUE})")
        double dataMean = D.dataMean();
        @Option(names = "--data-std", paramLabel = "S", description = "(default: ${DEFAULT-VALUE})")
        double dataStd = D.dataStd();
        @Option(names = "--g-start", paramLabel = "B", description = "G's initial offset (default: ${DEFAULT-VALUE})")
        double gStart = D.gStart();
        @Option(names = "--steps", paramLabel = "N", description = "generator steps (default: ${DEFAULT-VALUE})")
        int steps = D.steps();
        @Option(names = "--k", paramLabel = "K", description = "discriminator steps per generator step (default: ${DEFAULT-VALUE})")
        int k = D.k();
        @Option(names = "--batch", paramLabel = "N", description = "(default: ${DEFAULT-VALUE})")
        int batch = D.batch();
        @Option(names = "--lr-d", paramLabel = "LR", description = "Adam, beta1 = 0.5 (default: ${DEFAULT-VALUE})")
        double lrD = D.lrD();
        @Option(names = "--lr-g", paramLabel = "LR", description = "Adam, beta1 = 0.5 (default: ${DEFAULT-VALUE})")
        double lrG = D.lrG();
        @Option(names = "--g-width", paramLabel = "W", description = "hidden units of the MLP generator (default: ${DEFAULT-VALUE})")
        int gWidth = D.gWidth();

        @Override
        public Integer call() {
            Figure1.Result r = Figure1.run(new Figure1.Params(generator, dataMean, dataStd, gStart, steps, k, batch, lrD, lrG,
                    gWidth, common.seed, common.out));
            return print(spec, common, "figure1", r, r.line());
        }
    }

    @Command(name = "saturation", mixinStandardHelpOptions = true,
            description = {"Section 3: log(1 - D(G(z))) saturates when D wins; -log D(G(z)) does not.",
                    "With G poor and D trained to win, prints both mean |dL_G/dG(z)| and their ratio and, with",
                    "--train-steps > 0, the JSD each loss reaches from that start; writes saturation.png and",
                    "saturation-training.png."})
    static final class SaturationCommand implements Callable<Integer> {
        private static final Saturation.Params D = Saturation.Params.defaults();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Common common;

        @Option(names = "--data-mean", paramLabel = "M", description = "p_data = N(M, S^2) (default: ${DEFAULT-VALUE})")
        double dataMean = D.dataMean();
        @Option(names = "--data-std", paramLabel = "S", description = "(default: ${DEFAULT-VALUE})")
        double dataStd = D.dataStd();
        @Option(names = "--g-mean", paramLabel = "M", description = "the poor G: N(M, S^2) (default: ${DEFAULT-VALUE})")
        double gMean = D.gMean();
        @Option(names = "--g-std", paramLabel = "S", description = "(default: ${DEFAULT-VALUE})")
        double gStd = D.gStd();
        @Option(names = "--d-steps", paramLabel = "N", description = "steps of D against the fixed G (default: ${DEFAULT-VALUE})")
        int dSteps = D.dSteps();
        @Option(names = "--batch", paramLabel = "N", description = "(default: ${DEFAULT-VALUE})")
        int batch = D.batch();
        @Option(names = "--lr-d", paramLabel = "LR", description = "Adam, beta1 = 0.5 (default: ${DEFAULT-VALUE})")
        double lrD = D.lrD();
        @Option(names = "--train-steps", paramLabel = "N", description = "steps of each game from the saturated start; 0 skips (default: ${DEFAULT-VALUE})")
        int trainSteps = D.trainSteps();
        @Option(names = "--lr-g", paramLabel = "LR", description = "SGD, momentum 0.5 (default: ${DEFAULT-VALUE})")
        double lrG = D.lrG();

        @Override
        public Integer call() {
            Saturation.Result r = Saturation.run(new Saturation.Params(dataMean, dataStd, gMean, gStd, dSteps, batch, lrD,
                    trainSteps, lrG, common.seed, common.out));
            return print(spec, common, "saturation", r, r.line());
        }
    }

    @Command(name = "disjoint", mixinStandardHelpOptions = true,
            description = {"Disjoint supports: JSD is stuck at log 2, W1 = |theta| is not (WGAN's example).",
                    "p_data = U(-a, a), p_g the same shifted by theta. Also the gradient d/dtheta that G receives from a",
                    "trained D (minimax, non-saturating) and from the optimal 1-Lipschitz critic. Writes disjoint.png",
                    "and disjoint-gradients.png."})
    static final class DisjointCommand implements Callable<Integer> {
        private static final Disjoint.Params D = Disjoint.Params.defaults();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Common common;

        @Option(names = "--half-width", paramLabel = "A", description = "p_data = U(-A, A) (default: ${DEFAULT-VALUE})")
        double halfWidth = D.halfWidth();
        @Option(names = "--theta-max", paramLabel = "T", description = "curves for theta in [0, T] (default: ${DEFAULT-VALUE})")
        double thetaMax = D.thetaMax();
        @Option(names = "--points", paramLabel = "N", description = "points per curve (default: ${DEFAULT-VALUE})")
        int points = D.points();
        @Option(names = "--grad-thetas", paramLabel = "T", split = ",",
                description = "shifts at which the gradients are measured (default: ${DEFAULT-VALUE})")
        List<Double> gradThetas = new java.util.ArrayList<>(D.gradThetas());
        @Option(names = "--d-steps", paramLabel = "N", description = "Adam steps of the D trained at each shift (default: ${DEFAULT-VALUE})")
        int dSteps = D.dSteps();
        @Option(names = "--batch", paramLabel = "N", description = "(default: ${DEFAULT-VALUE})")
        int batch = D.batch();
        @Option(names = "--lr", paramLabel = "LR", description = "Adam, beta1 = 0.5 (default: ${DEFAULT-VALUE})")
        double lr = D.lr();

        @Override
        public Integer call() {
            Disjoint.Result r = Disjoint.run(new Disjoint.Params(halfWidth, thetaMax, points, gradThetas, dSteps, batch, lr,
                    common.seed, common.out));
            return print(spec, common, "disjoint", r, r.line());
        }
    }

    @Command(name = "force-field", mixinStandardHelpOptions = true,
            description = {"D as a force field on G's samples, on the ring8 mixture.",
                    "Heat map of D(x) and arrows of -grad_x L_G at a fixed G's samples after chosen numbers of D steps;",
                    "prints the fraction of pushes toward the nearest mode and writes force-field.png."})
    static final class ForceFieldCommand implements Callable<Integer> {
        private static final ForceField.Params D = ForceField.Params.defaults();
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Common common;

        @Option(names = "--g-std", paramLabel = "S", description = "the fixed G: N(0, S^2 I) (default: ${DEFAULT-VALUE})")
        double gStd = D.gStd();
        @Option(names = "--snapshots", paramLabel = "N", split = ",",
                description = "D steps after which a panel is drawn (default: ${DEFAULT-VALUE})")
        List<Integer> snapshots = new java.util.ArrayList<>(D.snapshots());
        @Option(names = "--batch", paramLabel = "N", description = "(default: ${DEFAULT-VALUE})")
        int batch = D.batch();
        @Option(names = "--lr", paramLabel = "LR", description = "Adam, beta1 = 0.5 (default: ${DEFAULT-VALUE})")
        double lr = D.lr();
        @Option(names = "--width", paramLabel = "N", description = "hidden units per layer of D (default: ${DEFAULT-VALUE})")
        int width = D.width();
        @Option(names = "--arrows", paramLabel = "N", description = "fake samples with an arrow (default: ${DEFAULT-VALUE})")
        int arrows = D.arrows();

        @Override
        public Integer call() {
            ForceField.Result r = ForceField.run(new ForceField.Params(gStd, snapshots, batch, lr, width, arrows, common.seed,
                    common.out));
            return print(spec, common, "force-field", r, r.line());
        }
    }
}
