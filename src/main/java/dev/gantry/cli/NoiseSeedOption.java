package dev.gantry.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed S}: the seed of the noise a command draws from a trained generator (sample, eval
 * parzen, figures). Not a run's master seed: {@code gantry train --seed} sets the config's
 * {@code seed}. A picocli mixin.
 */
final class NoiseSeedOption {

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of the sampling noise (default: ${DEFAULT-VALUE})")
    long seed;
}
