package dev.gantry.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Tensors#setValues}: exact, in place, on any thread. */
class TensorsSetValuesTest {

    @Test
    void setValuesCopiesEveryValueExactlyIntoAParameterOnAnyThread() throws Exception {
        float[] values = {1.5f, -0f, Float.MIN_VALUE, -3.25e-39f, 7f, Float.MAX_VALUE};
        try (NDManager manager = NDManager.newBaseManager()) {
            Param p = new Param("w", manager.zeros(new Shape(2, 3)));
            assertThat(p.array().hasGradient()).isTrue();
            Tensors.setValues(p.array(), values);
            assertThat(bits(p.array().toFloatArray())).containsExactly(bits(values));   // -0 is not 0 here
            // A thread of its own starts with PyTorch's grad mode on, where an in-place write to a
            // leaf that requires a gradient is refused unless the write turns it off.
            float[] again = {2f, 3f, 4f, 5f, 6f, 7f};
            boolean[] gradModeThere = new boolean[1];
            CompletableFuture.runAsync(() -> {
                gradModeThere[0] = JniUtils.isGradMode();
                Tensors.setValues(p.array(), again);
                gradModeThere[0] &= JniUtils.isGradMode();   // and restores it
            }).get(60, TimeUnit.SECONDS);
            assertThat(gradModeThere[0]).isTrue();
            assertThat(bits(p.array().toFloatArray())).containsExactly(bits(again));
            assertThat(p.array().hasGradient()).isTrue();
            NDArray a = p.array();
            assertThat(a.getShape()).isEqualTo(new Shape(2, 3));
        }
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
