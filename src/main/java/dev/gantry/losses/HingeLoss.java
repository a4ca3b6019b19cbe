package dev.gantry.losses;

import ai.djl.ndarray.NDArray;

/**
 * The hinge adversarial loss (Lim &amp; Ye, 2017; Miyato et al., 2018): D minimises
 * E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]; G minimises −E[D(G(z))].
 */
public final class HingeLoss implements AdversarialLoss {

    @Override
    public NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        NDArray real = realScores.neg().add(1).getNDArrayInternal().relu().mean();
        NDArray fake = fakeScores.add(1).getNDArrayInternal().relu().mean();
        return real.add(fake);
    }

    @Override
    public NDArray generator(NDArray fakeScores) {
        return fakeScores.mean().neg();
    }
}
