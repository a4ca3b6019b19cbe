package dev.gantry.train;

import ai.djl.ndarray.NDArray;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import java.util.List;

/**
 * What a checkpoint holds: the counters (which are also the RNG state, see
 * {@link dev.gantry.util.Seeds}), the config, the data's shape and the live tensors — G's and D's
 * parameters and buffers, then both optimizers' state — in a fixed order, each named uniquely.
 * Restoring sets the tensors' values in place. {@code averageUpdatesG} is how many of G's updates
 * its moving average holds ({@code train.g_average}; 0 without one): {@code updatesG}, unless a
 * resume restarted the average with another rate.
 */
public record TrainingState(RunConfig config, ImageShape dataShape, long step, int epoch, int stepInEpoch,
                            long updatesG, long updatesD, long averageUpdatesG, List<NDArray> tensors) {}
