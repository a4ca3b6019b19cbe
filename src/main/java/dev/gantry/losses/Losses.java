package dev.gantry.losses;

import dev.gantry.config.RunConfig;

/** Builds the adversarial loss a config names. */
public final class Losses {

    /** Names accepted in {@code loss.name}. */
    public static final java.util.List<String> NAMES = java.util.List.of("gan", "wasserstein", "hinge", "least-squares");

    private Losses() {}

    public static AdversarialLoss of(RunConfig.LossConfig c) {
        return switch (c.name()) {
            case "gan" -> GanLoss.of(c.generator(), c.dScale());
            case "wasserstein" -> new WassersteinLoss();
            case "hinge" -> new HingeLoss();
            case "least-squares" -> new LeastSquaresLoss();
            default -> throw new IllegalArgumentException("unknown loss " + c.name());
        };
    }
}
