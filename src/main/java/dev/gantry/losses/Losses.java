package dev.gantry.losses;

import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The loss registry: {@code loss.name} to its {@link AdversarialLoss}. Adding a loss to Gantry is
 * one line here; code outside Gantry adds its own with {@link #register} (the Java API's
 * {@code Gantry.registerLoss}).
 */
public final class Losses {

    private static final Map<String, Function<RunConfig.LossConfig, AdversarialLoss>> REGISTRY = new LinkedHashMap<>();

    /** What a registered name may look like: lower case letters, digits and inner hyphens, as the built-in names. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    static {
        REGISTRY.put("gan", c -> GanLoss.of(c.generator(), c.dScale()));
        REGISTRY.put("wasserstein", c -> new WassersteinLoss());
        REGISTRY.put("hinge", c -> new HingeLoss());
        REGISTRY.put("least-squares", c -> new LeastSquaresLoss());
        // BiGAN/ALI (Donahue et al. 2017; Dumoulin et al. 2017): the GAN loss over (x, E(x)) against (G(z), z).
        REGISTRY.put("bigan", c -> GanLoss.of(c.generator(), c.dScale()));
        // Salimans et al. 2016: D's unsupervised part is the GAN loss on log Σ exp of its class logits;
        // the trainer adds the supervised term and replaces G's loss by feature matching.
        REGISTRY.put("semi-supervised", c -> GanLoss.of("non-saturating", c.dScale()));
    }

    /** The names Gantry itself registers. */
    public static final List<String> NAMES = List.copyOf(REGISTRY.keySet());

    private Losses() {}

    /** Names accepted in {@code loss.name} now: Gantry's and those registered since. */
    public static synchronized List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /**
     * Adds a loss under {@code name}, for this process: from then on {@code loss.name = name}
     * trains with it, and a run or checkpoint that names it can be read. A name is registered
     * once; Gantry's own cannot be replaced.
     *
     * @throws BadInputException when the name is malformed or already registered
     */
    public static synchronized void register(String name, Function<RunConfig.LossConfig, AdversarialLoss> factory) {
        java.util.Objects.requireNonNull(factory, "factory");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new BadInputException("loss name '" + name + "': expected lower case letters, digits and inner hyphens (e.g. my-loss)");
        }
        if (REGISTRY.containsKey(name)) {
            throw new BadInputException("loss name '" + name + "' is already registered (" + String.join(", ", REGISTRY.keySet())
                    + "); choose another name");
        }
        REGISTRY.put(name, factory);
        RunConfig.acceptLossName(name);
    }

    /**
     * The loss a config names.
     *
     * @throws BadInputException listing the valid names
     */
    public static AdversarialLoss of(RunConfig.LossConfig c) {
        Function<RunConfig.LossConfig, AdversarialLoss> f;
        synchronized (Losses.class) {
            f = REGISTRY.get(c.name());
        }
        if (f == null) {
            throw new BadInputException("loss.name: unknown loss '" + c.name() + "' (expected one of " + String.join(", ", names()) + ")");
        }
        AdversarialLoss loss = f.apply(c);
        if (loss == null) {
            throw new BadInputException("loss.name: the factory registered for '" + c.name() + "' returned no loss");
        }
        return loss;
    }
}
