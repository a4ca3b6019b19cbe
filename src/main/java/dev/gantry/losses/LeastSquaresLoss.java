package dev.gantry.losses;

import ai.djl.ndarray.NDArray;
import dev.gantry.nn.Tensors;

/**
 * The least-squares GAN loss (Mao et al., 2017) with targets a = 0 (fake), b = 1 (real), c = 1:
 * D minimises ½E[(D(x) − 1)²] + ½E[D(G(z))²]; G minimises ½E[(D(G(z)) − 1)²]. D's output is a raw
 * score (no sigmoid).
 */
public final class LeastSquaresLoss implements AdversarialLoss {

    @Override
    public NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        return Tensors.times(realScores.sub(1).square().mean().add(fakeScores.square().mean()), 0.5);
    }

    @Override
    public NDArray generator(NDArray fakeScores) {
        return Tensors.times(fakeScores.sub(1).square().mean(), 0.5);
    }
}
