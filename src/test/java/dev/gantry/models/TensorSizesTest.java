package dev.gantry.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gantry.BadInputException;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import dev.gantry.data.ImageShape;
import dev.gantry.nn.Param;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Architecture#tensorSizes} counts, from the config alone, exactly the tensors the networks
 * are built with: the memory bounds ({@link Models#checkSizes}, {@code train.Footprint}) rest on it.
 */
class TensorSizesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "defaults|1x28x28|",
            "defaults|1x1x2|model.g_layers=4,model.g_batch_norm=true,model.d_layers=3,model.d_spectral_norm=true,model.g_output=linear",
            "defaults|3x32x32|model.g_layers=1,model.d_layers=1",
            "dcgan-mnist|1x28x28|",
            "dcgan-mnist|3x32x32|model.kernel=5,model.d_batch_norm=true,model.g_batch_norm=false,model.width=8",
            "dcgan-mnist|3x64x64|model.width=4,model.depth=3,model.noise_dim=7",
            "ssgan-mnist|1x28x28|",
            "cgan-mnist|1x28x28|",
            "cgan-mnist|1x28x28|model.d_units=32,model.d_pieces=3,model.noise_dim=7"})
    void theCountsMatchTheBuiltNetworks(String preset, String shape, String sets) {
        RunConfig.ModelConfig m = ConfigLoader.load(preset.equals("defaults") ? null : preset, null,
                sets == null ? List.of() : List.of(sets.split(","))).model();
        ImageShape data = ImageShape.parse(shape);
        List<TensorSize> sizes = Models.checkSizes(m, data);
        try (NDManager manager = NDManager.newBaseManager()) {
            // A conditional pair is built for MNIST's 10 classes, as its counts assume.
            Models.Pair pair = Models.build(manager, m, data, PixelMeans.constant(0.5, data.dim()), m.conditional() ? 10 : 0);
            List<NDArray> params = new ArrayList<>();
            pair.generator().params().stream().map(Param::array).forEach(params::add);
            pair.discriminator().params().stream().map(Param::array).forEach(params::add);
            List<NDArray> buffers = new ArrayList<>(pair.generator().buffers());
            buffers.addAll(pair.discriminator().buffers());

            assertThat(sizes.stream().filter(TensorSize::parameter).mapToLong(TensorSize::copies).sum()).isEqualTo(params.size());
            assertThat(sizes.stream().filter(t -> !t.parameter()).mapToLong(TensorSize::copies).sum()).isEqualTo(buffers.size());
            assertThat(sizes.stream().filter(TensorSize::parameter).mapToLong(TensorSize::total).sum())
                    .isEqualTo(params.stream().mapToLong(NDArray::size).sum());
            assertThat(sizes.stream().filter(t -> !t.parameter()).mapToLong(TensorSize::total).sum())
                    .isEqualTo(buffers.stream().mapToLong(NDArray::size).sum());
            List<NDArray> all = new ArrayList<>(params);
            all.addAll(buffers);
            assertThat(sizes.stream().mapToLong(TensorSize::elements).max().orElseThrow())
                    .isEqualTo(all.stream().mapToLong(NDArray::size).max().orElseThrow());
            // Single tensors carry the names the networks give them.
            List<String> names = all.stream().map(NDArray::getName).toList();
            for (TensorSize t : sizes) {
                if (t.copies() == 1 && !t.name().contains("..")) {
                    assertThat(names).as(t.name()).contains(t.name());
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "defaults|model.g_hidden=100000|g.h2.weight|model.g_hidden × model.g_hidden",
            "defaults|model.d_pieces=1000000|d.maxout1.weight|model.d_units × model.d_pieces × C·H·W",
            "dcgan-mnist|model.width=100000|g.up1.weight|model.width",
            "dcgan-mnist|model.noise_dim=1000000|g.project.weight|model.noise_dim"})
    void anOversizedTensorIsRefusedNamingItAndItsKeysBeforeAnythingIsBuilt(String preset, String set, String tensor, String keys) {
        RunConfig.ModelConfig m = ConfigLoader.load(preset.equals("defaults") ? null : preset, null, List.of(set)).model();
        assertThatThrownBy(() -> Models.checkSizes(m, new ImageShape(1, 28, 28)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("tensor " + tensor).hasMessageContaining(keys).hasMessageContaining(set.replace("=", " = "))
                .hasMessageContaining("536,870,909");
    }
}
