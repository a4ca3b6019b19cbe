package dev.gantry.models;

import ai.djl.ndarray.NDManager;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;

/**
 * A named pair of networks (registered in {@link Models}): how to build G and D for images of a
 * given shape from the {@code model} section of a config.
 */
public interface Architecture {

    /**
     * Fails before anything is built when the networks cannot be made for {@code data}.
     *
     * @throws dev.gantry.BadInputException naming the model's shape and the data's
     */
    void check(RunConfig.ModelConfig m, ImageShape data);

    /**
     * @param means of the training images, for generators whose output starts at the data's marginals
     * @param classes 0 for an unconditional generator, else the number of classes it is conditioned on
     */
    Generator generator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, PixelMeans means, int classes);

    /** @param classes 0 for an unconditional discriminator, else the number of classes it is conditioned on */
    Discriminator discriminator(NDManager manager, RunConfig.ModelConfig m, ImageShape data, int classes);

    /**
     * The tensors G (first) and D will hold, parameters and buffers but not optimizer state, counted
     * from the config alone: nothing is built or allocated, so that sizes the memory cannot hold are
     * refused before the first allocation ({@link Models#checkSizes}). Call after {@link #check}.
     * Names and counts match what {@link #generator} and {@link #discriminator} build for an
     * unconditional model (a test holds them to it); a conditional model's labels, or a BiGAN's z,
     * add K or noise_dim columns to the first layers, which are bounded with noise_dim itself.
     */
    java.util.List<TensorSize> tensorSizes(RunConfig.ModelConfig m, ImageShape data);
}
