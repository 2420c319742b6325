package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.testing.TestImages;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * Every method's band-by-band decoding ({@link Method#segmentInBands}, what {@code lazyseg
 * predict} runs) gives exactly the class ids, instance ids and foreground probability of its
 * decoding of whole probability planes ({@link Method#segment}), on images smaller than a
 * tile, of one tile, and of sizes that are no multiple of it, in one tile per batch and in
 * batches that span tile rows.
 */
class SegmentInBandsTest {
  static Stream<Arguments> methods() {
    return Stream.of(
        Arguments.of("supervised", Map.of(), 1),
        Arguments.of("supervised", Map.of(), 3),
        Arguments.of("weak-only", Map.of(), 1),
        Arguments.of("multitask", Map.of(), 1),
        Arguments.of("multitask", Map.of("seed-threshold", "0.6", "min-seed", "2"), 1),
        Arguments.of("multitask", Map.of("prediction", "split", "seed-threshold", "0.7"), 2),
        Arguments.of("multitask", Map.of("prediction", "segmentation"), 1),
        Arguments.of("multitask", Map.of("interface-threshold", "0.45", "min-piece", "0"), 2),
        Arguments.of("multitask", Map.of("separation", "false"), 1),
        Arguments.of("multitask", Map.of("prediction", "grow", "seed-threshold", "0.4",
            "min-seed", "3"), 1),
        Arguments.of("multitask", Map.of("prediction", "grow-keep", "separation", "false"), 2),
        Arguments.of("recursive", Map.of("separation", "true"), 1),
        Arguments.of("recursive", Map.of("prediction", "grow-keep", "seed-threshold", "0.4",
            "min-seed", "3"), 2),
        Arguments.of("recursive", Map.of("prediction", "approximation", "separation", "true"),
            1),
        Arguments.of("recursive", Map.of("prediction", "segmentation"), 1),
        Arguments.of("tags", Map.of(), 2),
        Arguments.of("sizes", Map.of("side", "24"), 1));
  }

  @ParameterizedTest(name = "{0} {1} K={2}")
  @MethodSource("methods")
  void bandsGiveWhatWholePlanesGive(String name, Map<String, String> settings, int classes) {
    Method method = Methods.create(name, settings);
    ModelSpec.Builder b = ModelSpec.builder().setChannels(1).optWidth(4).optDepth(3)
        .optNetwork(method.network())
        .optNormalization(new Normalization(new float[] {0.5f}, new float[] {0.3f}));
    method.tasks(classes).forEach(b::addTask);
    ModelSpec spec = b.build();
    try (NDManager m = NDManager.newBaseManager()) {
      Block net = spec.newBlock();
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16));
      try (Predictor p = Predictor.of(net, spec, m, 16)) {
        int[][] sizes = {{53, 37}, {10, 7}, {16, 16}, {21, 70}, {1, 19}};
        for (int batch : new int[] {1, 4}) {
          p.setTileBatch(batch);
          for (int[] size : sizes) {
            FloatImage image = TestImages.noise(size[0], size[1], 1, size[0] * 31L + size[1]);
            String as = name + settings + " " + size[0] + "x" + size[1] + " batch " + batch;
            Segmentation whole = method.segment(p, image);
            float[] foreground = new float[size[0] * size[1]];
            Segmentation bands = method.segmentInBands(p, image, foreground);
            assertThat(bands.classes().data()).as(as).containsExactly(whole.classes().data());
            assertThat(bands.instances().data()).as(as)
                .containsExactly(whole.instances().data());
            assertThat(foreground).as(as).containsExactly(whole.foregroundProbability());
            assertThat(bands.probabilities()).isNull();
            assertThat(method.segmentInBands(p, image, null).classes().data()).as(as)
                .containsExactly(whole.classes().data());
          }
        }
      }
    }
  }
}
