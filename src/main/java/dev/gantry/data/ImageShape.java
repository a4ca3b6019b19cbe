package dev.gantry.data;

import dev.gantry.BadInputException;

/**
 * The shape of one image: channels × height × width. A flat image is channel-major (CHW): the
 * whole first channel row by row, then the next; so is each row of a sample {@code .npy} file.
 * The 2D toy distributions are 1×1×2 "images" (a point is one row of two values).
 */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("an image shape needs positive sizes, got " + channels + "×" + height + "×" + width);
        }
        if ((long) channels * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an image of " + channels + "×" + height + "×" + width + " has more values than an int counts");
        }
    }

    /** Values per image: C·H·W. */
    public int dim() {
        return channels * height * width;
    }

    /** The shape as [C, H, W], for tensors and files. */
    public long[] asArray() {
        return new long[] {channels, height, width};
    }

    /** Reads "C×H×W", "CxHxW" or "C,H,W". */
    public static ImageShape parse(String text) {
        String[] p = text.trim().split("[×x,]");
        try {
            if (p.length == 3) {
                return new ImageShape(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the message below
        }
        throw new BadInputException("'" + text + "' is not an image shape: expected C×H×W, e.g. 1x28x28");
    }

    @Override
    public String toString() {
        return channels + "×" + height + "×" + width;
    }
}
