// The SGD-with-momentum update of 3.7 M parameters (the paper nets' G and D together) two ways:
// the engine's four in-place passes that SgdMomentum makes (g *= lr, v *= mu, v -= g, p += v) and
// one fused Java loop over the tensors' own memory (direct buffers), on one and on two Java
// threads; then one step of each on fresh tensors, to show they give the same bits. From the repo
// root, after ./gantry has built the jar:
//   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -cp "target/gantry.jar:target/lib/*" scripts/bench/SgdUpdateBench.java
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import java.nio.*;

public class SgdUpdateBench {
    static void fused(FloatBuffer p, FloatBuffer v, FloatBuffer g, float mu, float lr, int from, int to) {
        for (int i = from; i < to; i++) {
            float vi = v.get(i) * mu - g.get(i) * lr;
            v.put(i, vi);
            p.put(i, p.get(i) + vi);
        }
    }
    public static void main(String[] a) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 3_700_000;
            NDArray p = m.randomUniform(-1, 1, new Shape(n));
            NDArray v = m.randomUniform(-1, 1, new Shape(n));
            NDArray g = m.randomUniform(-1, 1, new Shape(n));
            NDArray p2 = p.duplicate(), v2 = v.duplicate();
            float mu = 0.6f, lr = 0.05f;
            for (int rep = 0; rep < 8; rep++) {
                long t0 = System.nanoTime();
                try (NDManager sm = m.newSubManager()) {
                    NDArray gg = g.duplicate(); gg.attach(sm);
                    long t1 = System.nanoTime();
                    v2.muli(mu).subi(gg.muli(lr)); p2.addi(v2);
                    long t2 = System.nanoTime();
                    FloatBuffer pb = p.toByteBuffer(true).asFloatBuffer(), vb = v.toByteBuffer(true).asFloatBuffer(), gb = g.toByteBuffer(true).asFloatBuffer();
                    int half = n / 2;
                    Thread th = new Thread(() -> fused(pb, vb, gb, mu, lr, 0, half));
                    th.start();
                    fused(pb, vb, gb, mu, lr, half, n);
                    th.join();
                    long t3 = System.nanoTime();
                    fused(pb, vb, gb, mu, lr, 0, n);
                    long t4 = System.nanoTime();
                    System.out.printf("engine %.2f ms, java 2 threads %.2f ms, java 1 thread %.2f ms%n", (t2-t1)/1e6, (t3-t2)/1e6, (t4-t3)/1e6);
                }
            }
            // bits: one fresh step each
            NDArray p3 = m.randomUniform(-1, 1, new Shape(1000)), v3 = m.randomUniform(-1,1,new Shape(1000)), g3 = m.randomUniform(-1,1,new Shape(1000));
            NDArray p4 = p3.duplicate(), v4 = v3.duplicate(), g4 = g3.duplicate();
            v3.muli(mu).subi(g3.muli(lr)); p3.addi(v3);
            fused(p4.toByteBuffer(true).asFloatBuffer(), v4.toByteBuffer(true).asFloatBuffer(), g4.toByteBuffer(true).asFloatBuffer(), mu, lr, 0, 1000);
            System.out.println("same bits: " + java.util.Arrays.equals(p3.toFloatArray(), p4.toFloatArray()) + " " + java.util.Arrays.equals(v3.toFloatArray(), v4.toFloatArray()));
        }
    }
}
