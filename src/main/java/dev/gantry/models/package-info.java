/** Named architectures: the paper's MLP generator and maxout discriminator, and their common interfaces. */
package dev.gantry.models;
