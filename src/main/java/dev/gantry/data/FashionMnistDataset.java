package dev.gantry.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf, 2017): Zalando's original IDX files, from the Debian
 * package {@code dataset-fashion-mnist} or from files the user has ({@code --from DIR}), SHA-256
 * of each decompressed file checked; the same split rule as MNIST.
 */
public final class FashionMnistDataset extends IdxDigitsDataset {

    @Override
    public String name() {
        return "fashion-mnist";
    }

    @Override
    public String description() {
        return "Fashion-MNIST, 1x28x28, 10 classes; Debian package dataset-fashion-mnist or --from DIR, SHA-256 checked";
    }

    @Override
    public List<String> classNames() {
        return List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    }

    @Override
    String displayName() {
        return "Fashion-MNIST";
    }

    @Override
    Path cacheDir() {
        return FashionMnistFetcher.defaultDir();
    }

    @Override
    Map<String, String> sha256() {
        return FashionMnistFetcher.SHA256;
    }

    @Override
    String download(Path dir, PrintStream log) throws IOException {
        return new FashionMnistFetcher().fetch(dir, log).toString();
    }

    @Override
    public String fetch(Path dir, Path from, PrintStream log) throws IOException {
        Path target = dir == null ? cacheDir() : dir;
        if (from != null) {
            new FashionMnistFetcher().importFrom(from, target, log);
            return "fashion-mnist imported from " + from + " into " + target;
        }
        return "fashion-mnist ready in " + target + " (" + download(target, log) + ")";
    }
}
