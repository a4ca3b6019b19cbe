package dev.gantry.data;

/**
 * The three parts of a dataset. For MNIST and Fashion-MNIST as in the GAN paper: train[0:50000]
 * trains, train[50000:60000] validates (checkpoint choice, σ of the Parzen window), t10k tests.
 */
public enum Split {
    TRAIN, VALID, TEST;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
