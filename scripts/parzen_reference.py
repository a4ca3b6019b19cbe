#!/usr/bin/env python3
"""An independent NumPy implementation of the paper's Parzen-window protocol, to check Gantry's.

    python3 scripts/parzen_reference.py (SAMPLES.npy | --real-train) [--split test|valid] [--json]

Shares no code with Gantry: it reads the MNIST IDX files itself (from $GANTRY_DATA/mnist, else
~/.cache/gantry/mnist, where `gantry data fetch mnist` puts them) and follows the authors'
parzen_ll.py (protocols.md section 2) in float64 throughout:
  - sigma from logspace(-1, 0, 10), the one with the highest mean log-likelihood of the
    validation images train[50000:51000];
  - log p(x) = logmeanexp_j(-|x - mu_j|^2 / (2 sigma^2)) - d log(sigma sqrt(2 pi)), d = 784;
  - mean and standard error (population std / sqrt(n)) over test (t10k) or, with --split valid,
    over train[51000:60000], the split Gantry uses to choose checkpoints.
Compare with `gantry eval parzen --samples SAMPLES.npy` (or `--real-train`); the two agree to
float32 rounding of the squared distances (docs/reproduction.md has a measured comparison).
Needs only NumPy.
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np

SIGMAS = np.logspace(-1, 0, 10)


def read_idx_images(path):
    with open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 0x0803:
            sys.exit(f"{path}: not an IDX image file (magic {magic:#x}, expected 0x803)")
        data = np.frombuffer(f.read(), dtype=np.uint8)
    if data.size != n * rows * cols:
        sys.exit(f"{path}: {data.size} pixels, expected {n}x{rows}x{cols}")
    return data.reshape(n, rows * cols).astype(np.float64) / 255.0


def log_likelihoods(points, centres, sigmas, chunk=500):
    """Per-point Parzen log-likelihoods, one row per kernel width: [len(sigmas), len(points)].
    The squared distances of a chunk are computed once and serve every width."""
    d = points.shape[1]
    c2 = np.einsum("ij,ij->i", centres, centres)
    out = np.empty((len(sigmas), len(points)))
    for start in range(0, len(points), chunk):
        x = points[start:start + chunk]
        sq = np.einsum("ij,ij->i", x, x)[:, None] - 2.0 * (x @ centres.T) + c2[None, :]
        np.maximum(sq, 0.0, out=sq)
        for i, sigma in enumerate(sigmas):
            a = -sq / (2.0 * sigma * sigma)
            m = a.max(axis=1, keepdims=True)
            out[i, start:start + chunk] = (m[:, 0] + np.log(np.exp(a - m).mean(axis=1))
                                           - d * np.log(sigma * np.sqrt(2.0 * np.pi)))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("samples", nargs="?", help="float32 [N, 784] .npy in [0, 1]")
    p.add_argument("--real-train", action="store_true", help="use train[0:10000] as the samples")
    p.add_argument("--split", choices=["test", "valid"], default="test")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    if (args.samples is None) == (not args.real_train):
        p.error("give SAMPLES.npy or --real-train (one of them)")

    root = os.path.join(os.environ["GANTRY_DATA"], "mnist") if "GANTRY_DATA" in os.environ \
        else os.path.expanduser("~/.cache/gantry/mnist")
    train = read_idx_images(os.path.join(root, "train-images-idx3-ubyte"))
    if args.real_train:
        centres, source = train[:10000], "train[0:10000]"
    else:
        centres, source = np.load(args.samples).astype(np.float64), args.samples
        if centres.ndim != 2 or centres.shape[1] != 784:
            sys.exit(f"{args.samples}: shape {centres.shape}, expected [N, 784]")
    if args.split == "test":
        points, split = read_idx_images(os.path.join(root, "t10k-images-idx3-ubyte")), "test"
    else:
        points, split = train[51000:60000], "valid train[51000:60000]"

    t0 = time.time()
    selection = train[50000:51000]
    means = [float(m) for m in log_likelihoods(selection, centres, SIGMAS).mean(axis=1)]
    sigma = float(SIGMAS[int(np.argmax(means))])
    ll = log_likelihoods(points, centres, [sigma])[0]
    result = {"split": split, "source": source, "sigma": sigma, "mean": float(ll.mean()),
              "se": float(ll.std() / np.sqrt(len(ll))), "points": len(ll),
              "samples": len(centres), "valid_means": dict(zip(map(float, SIGMAS), means)),
              "seconds": round(time.time() - t0, 1)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"NumPy reference, {split}: {result['mean']:.4f} ± {result['se']:.4f} nats "
              f"(sigma {sigma:.4f}, {len(centres)} samples from {source}, {result['seconds']} s)")


if __name__ == "__main__":
    main()
