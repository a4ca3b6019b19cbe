package dev.gantry.losses;

import dev.gantry.BadInputException;
import dev.gantry.config.RunConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The loss registry: {@code loss.name} to its {@link AdversarialLoss}. Adding a loss is one line here. */
public final class Losses {

    private static final Map<String, Function<RunConfig.LossConfig, AdversarialLoss>> REGISTRY = new LinkedHashMap<>();

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

    /** Names accepted in {@code loss.name}. */
    public static final List<String> NAMES = List.copyOf(REGISTRY.keySet());

    private Losses() {}

    /**
     * The loss a config names.
     *
     * @throws BadInputException listing the valid names
     */
    public static AdversarialLoss of(RunConfig.LossConfig c) {
        var f = REGISTRY.get(c.name());
        if (f == null) {
            throw new BadInputException("loss.name: unknown loss '" + c.name() + "' (expected one of " + String.join(", ", NAMES) + ")");
        }
        return f.apply(c);
    }
}
