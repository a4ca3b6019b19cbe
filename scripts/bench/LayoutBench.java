// The matrix products of a paper-mnist step timed alone in two layouts, in one run: plain
// a[m, k] x b[k, n] on random operands (what gantry bench step's reference times) and the layouts
// the hand-written step uses (linear(x, W, b) forward, g^T x weight gradient, g W input gradient).
// Median of 41 of each. From the repo root, after ./gantry has built the jar:
//   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 -cp "target/gantry.jar:target/lib/*" scripts/bench/LayoutBench.java
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import java.util.*;

public class LayoutBench {
    interface Op { NDArray run(); }
    static double time(NDManager m, Op op, int reps) {
        for (int i = 0; i < 5; i++) try (NDManager s = m.newSubManager()) { op.run().attach(s); }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            try (NDManager s = m.newSubManager()) { long t0 = System.nanoTime(); NDArray o = op.run(); o.attach(s); t[i] = (System.nanoTime() - t0) / 1e6; }
        }
        Arrays.sort(t); return t[reps / 2];
    }
    public static void main(String[] a) {
        // paper-mnist layers [rows, in, out]: G 100->1200->1200->784 on B = 100 rows; D 784->240x5, 240->240x5, 240->1 on 2B = 200
        int[][] layers = {{100,100,1200},{100,1200,1200},{100,1200,784},{200,784,1200},{200,240,1200},{200,240,1}};
        try (NDManager m = NDManager.newBaseManager()) {
            double sumPlain = 0, sumStep = 0;
            for (int[] l : layers) {
                int b = l[0], in = l[1], out = l[2];
                NDArray x = m.randomUniform(-1, 1, new Shape(b, in));
                NDArray w = m.randomUniform(-1, 1, new Shape(out, in));
                NDArray bias = m.randomUniform(-1, 1, new Shape(out));
                NDArray g = m.randomUniform(-1, 1, new Shape(b, out));
                NDArray a1 = m.randomUniform(-1, 1, new Shape(b, in)), b1 = m.randomUniform(-1, 1, new Shape(in, out));
                NDArray a2 = m.randomUniform(-1, 1, new Shape(out, b)), b2 = m.randomUniform(-1, 1, new Shape(b, in));
                NDArray a3 = m.randomUniform(-1, 1, new Shape(b, out)), b3 = m.randomUniform(-1, 1, new Shape(out, in));
                int reps = 41;
                double fPlain = time(m, () -> a1.matMul(b1), reps);
                double fStep = time(m, () -> x.getNDArrayInternal().linear(x, w, bias).singletonOrThrow(), reps);
                double fNoBias = time(m, () -> x.getNDArrayInternal().linear(x, w, null).singletonOrThrow(), reps);
                double wPlain = time(m, () -> a2.matMul(b2), reps);
                double wStep = time(m, () -> g.transpose().matMul(x), reps);
                double iPlain = time(m, () -> a3.matMul(b3), reps);
                double iStep = time(m, () -> g.matMul(w), reps);
                System.out.printf("[%d,%d]->%d  forward plain %.3f linear+bias %.3f linear %.3f | weight grad plain %.3f gT.x %.3f | input grad plain %.3f g.W %.3f%n",
                        b, in, out, fPlain, fStep, fNoBias, wPlain, wStep, iPlain, iStep);
                sumPlain += fPlain + wPlain + iPlain; sumStep += fStep + wStep + iStep;
            }
            System.out.printf("sum plain %.2f step layouts %.2f%n", sumPlain, sumStep);
        }
    }
}
