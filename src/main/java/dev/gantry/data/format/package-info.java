/** File formats: IDX (MNIST, Fashion-MNIST), NumPy .npy, CIFAR-10 binary; each reader checks sizes before it allocates. */
package dev.gantry.data.format;
