package dev.gantry.losses;

import ai.djl.ndarray.NDArray;

/**
 * The Wasserstein GAN objective (Arjovsky, Chintala &amp; Bottou, 2017): the critic f maximises
 * E[f(x)] − E[f(G(z))], an estimate of the earth-mover distance when f is 1-Lipschitz (enforced by
 * weight clipping or a gradient penalty, configured beside the loss); G minimises −E[f(G(z))].
 */
public final class WassersteinLoss implements AdversarialLoss {

    @Override
    public NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        return fakeScores.mean().sub(realScores.mean());
    }

    @Override
    public NDArray generator(NDArray fakeScores) {
        return fakeScores.mean().neg();
    }
}
