package org.lazyseg.train.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;
import org.lazyseg.train.data.Normalization;

class PredictorTest {
  private static final ModelSpec SPEC = ModelSpec.builder().setChannels(1)
      .addTask(Task.of("fg", 2)).addTask(Task.of("three", 3)).optWidth(4).optDepth(3)
      .optNormalization(new Normalization(new float[] {0.5f}, new float[] {2f})).build();

  private static FloatImage noise(int w, int h, int channels, long seed) {
    return org.lazyseg.core.testing.TestImages.noise(w, h, channels, seed);
  }

  /** DJL prefixes child names with their index, e.g. "11head0_weight". */
  private static ai.djl.nn.Parameter parameter(ai.djl.nn.Block net, String suffix) {
    return net.getParameters().stream().filter(p -> p.getKey().endsWith(suffix))
        .findFirst().orElseThrow().getValue();
  }

  private static ai.djl.nn.Block initialised(NDManager m) {
    ai.djl.nn.Block net = SPEC.newBlock();
    net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 16, 16));
    return net;
  }

  @Test
  void constantOutputTilesStitchToTheSameConstantAtAnySize() {
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.nn.Block net = initialised(m);
      // Zero head weights, bias (0, 1): every pixel's logits are (0, 1) whatever the input.
      parameter(net, "head0_weight").getArray().muli(0);
      parameter(net, "head0_bias").getArray().set(new float[] {0f, 1f});
      try (Predictor p = Predictor.of(net, SPEC, m, 16)) {
        float[][] prob = p.probabilities(noise(53, 37, 1, 1), 0);
        assertThat(prob).hasNumberOfRows(2);
        assertThat(prob[0]).hasSize(53 * 37);
        float expected = (float) (1 / (1 + Math.E));
        for (float v : prob[0]) {
          assertThat(v).isCloseTo(expected, within(1e-5f));
        }
        LabelImage labels = p.segment(noise(53, 37, 1, 2), 0);
        assertThat(labels.width()).isEqualTo(53);
        assertThat(labels.height()).isEqualTo(37);
        assertThat(labels.data()).containsOnly(1);
      }
    }
  }

  @Test
  void aWindowGetsExactlyTheWholeImagesProbabilitiesFromFewerTiles() {
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.nn.Block net = initialised(m);
      FloatImage image = noise(71, 58, 1, 4);
      try (Predictor p = Predictor.of(net, SPEC, m, 16)) {
        float[][][] whole = p.probabilities(image, 0, 1);
        int x0 = 23, y0 = 17, w = 30, h = 21;
        FloatImage crop = image.crop(x0, y0, w, h);
        try (Predictor view = p.window(image, x0, y0, w, h)) {
          float[][][] window = view.probabilities(crop, 0, 1);
          for (int head = 0; head < 2; head++) {
            for (int k = 0; k < whole[head].length; k++) {
              for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                  assertThat(window[head][k][y * w + x]).as("head %d class %d at %d,%d", head, k,
                      x, y).isEqualTo(whole[head][k][(y0 + y) * 71 + x0 + x]);
                }
              }
            }
          }
          // The crop tiled on its own (no window) sees less context: not the same numbers.
          float[][] alone = p.probabilities(crop, 0);
          assertThat(alone[1]).isNotEqualTo(window[0][1]);
        }
      }
    }
  }

  /** Head 1's probabilities equal one forward pass of the whole normalised image. */
  private static void assertEqualsTheDirectForwardPass(float[][] probabilities, Predictor p,
      NDManager m, FloatImage image) {
    float[] normalised = image.data().clone();
    for (int i = 0; i < normalised.length; i++) {
      normalised[i] = (normalised[i] - 0.5f) / 2f;
    }
    NDArray direct = p.forwardDirect(m.create(normalised,
        new Shape(1, 1, image.height(), image.width())), 1).softmax(1);
    for (int k = 0; k < 3; k++) {
      assertThat(probabilities[k]).containsExactly(direct.get("0," + k).toFloatArray(),
          within(1e-5f));
    }
  }

  @Test
  void anImageOfExactlyOneTileEqualsTheDirectForwardPass() {
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.nn.Block net = initialised(m);
      FloatImage image = noise(32, 24, 1, 3);
      try (Predictor p = Predictor.of(net, SPEC, m, 32)) {
        assertEqualsTheDirectForwardPass(p.probabilities(image, 1), p, m, image);
      }
    }
  }

  @Test
  void anImageWithinTheWholeImageBudgetGoesThroughAsOneTile() {
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.nn.Block net = initialised(m);
      FloatImage image = noise(48, 40, 1, 5);
      try (Predictor p = Predictor.of(net, SPEC, m, 16)) {
        float[][] tiled = p.probabilities(image, 1);
        assertThat(p.setWholeImagePixels(48 * 40 - 1).probabilities(image, 1))
            .as("one pixel over the budget: tiles as before").isDeepEqualTo(tiled);
        float[][] whole = p.setWholeImagePixels(48 * 40).probabilities(image, 1);
        assertEqualsTheDirectForwardPass(whole, p, m, image);
        assertThat(whole[1]).isNotEqualTo(tiled[1]);
        // A window of it sees the same single tile, so the same numbers.
        try (Predictor view = p.window(image, 10, 7, 20, 15)) {
          float[][] window = view.probabilities(image.crop(10, 7, 20, 15), 1);
          for (int y = 0; y < 15; y++) {
            for (int x = 0; x < 20; x++) {
              assertThat(window[2][y * 20 + x]).isEqualTo(whole[2][(7 + y) * 48 + 10 + x]);
            }
          }
        }
      }
    }
  }

  @Test
  void theWholeImageBudgetIsAboutOneGigabyteAndAtMostAMegapixel() {
    assertThat(Predictor.wholeImagePixels(16, 2)).isEqualTo(1_000_000_000L / (16 * 100 + 24));
    assertThat(Predictor.wholeImagePixels(64, 2)).isEqualTo(1_000_000_000L / (64 * 100 + 24));
    assertThat(Predictor.wholeImagePixels(SPEC)).isEqualTo(1024 * 1024);
  }

  /** The image mirrored left-right ({@code x}) or upside down. */
  private static FloatImage mirrored(FloatImage image, boolean x) {
    int w = image.width(), h = image.height();
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int i = 0; i < w; i++) {
        out[y * w + i] = image.data()[x ? y * w + w - 1 - i : (h - 1 - y) * w + i];
      }
    }
    return new FloatImage(w, h, 1, out);
  }

  /** Largest difference between a plane of {@code a} and the mirrored plane of {@code b}. */
  private static float mirrorGap(float[] a, float[] b, int w, int h, boolean x) {
    float gap = 0;
    for (int y = 0; y < h; y++) {
      for (int i = 0; i < w; i++) {
        float v = b[x ? y * w + w - 1 - i : (h - 1 - y) * w + i];
        gap = Math.max(gap, Math.abs(a[y * w + i] - v));
      }
    }
    return gap;
  }

  @Test
  void withFourFlipsAMirroredImageGetsTheMirroredProbabilities() {
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.nn.Block net = initialised(m);
      FloatImage image = noise(32, 24, 1, 5);   // one tile, no padding: tiling is symmetric
      try (Predictor p = Predictor.of(net, SPEC, m, 32)) {
        for (boolean x : new boolean[] {true, false}) {
          float[] plain = p.setFlips(1).probabilities(image, 1)[2];
          float[] plainMirror = p.probabilities(mirrored(image, x), 1)[2];
          // A network with random weights is not mirror-symmetric by itself ...
          assertThat(mirrorGap(plain, plainMirror, 32, 24, x)).isGreaterThan(1e-3f);
          float[] both = p.setFlips(4).probabilities(image, 1)[2];
          float[] bothMirror = p.probabilities(mirrored(image, x), 1)[2];
          // ... averaged over the four flips it is.
          assertThat(mirrorGap(both, bothMirror, 32, 24, x)).isLessThan(1e-6f);
        }
        float[] two = p.setFlips(2).probabilities(image, 1)[2];
        float[] twoMirror = p.probabilities(mirrored(image, true), 1)[2];
        assertThat(mirrorGap(two, twoMirror, 32, 24, true)).isLessThan(1e-6f);
        assertThat(mirrorGap(two, p.probabilities(mirrored(image, false), 1)[2], 32, 24, false))
            .as("two flips: left-right only").isGreaterThan(1e-3f);
      }
    }
  }

  @Test
  void flipsOtherThanOneTwoOrFourAreRefused() {
    try (NDManager m = NDManager.newBaseManager();
        Predictor p = Predictor.of(initialised(m), SPEC, m, 32)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.setFlips(3))
          .hasMessage("flips must be 1, 2 or 4, not 3");
    }
  }

  @Test
  void perImagePercentilesAreOfTheWholeImageForEveryTileAndWindow() {
    ModelSpec spec = ModelSpec.builder().setChannels(1).addTask(Task.of("fg", 2))
        .addTask(Task.of("three", 3)).optWidth(4).optDepth(3)
        .optNormalization(Normalization.percentile(1)).build();
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.nn.Block net = initialised(m);
      // Dark on the left, bright on the right: tiles and windows of one side alone have
      // other percentiles than the whole image.
      FloatImage image = noise(64, 32, 1, 5);
      for (int y = 0; y < 32; y++) {
        for (int x = 32; x < 64; x++) {
          image.set(0, x, y, 3 + 10 * image.get(0, x, y));
        }
      }
      float[][] n = spec.normalization().shiftAndScale(image);
      float[] normalised = image.data().clone();
      for (int i = 0; i < normalised.length; i++) {
        normalised[i] = (normalised[i] - n[0][0]) * n[1][0];
      }
      try (Predictor one = Predictor.of(net, spec, m, 64);
          Predictor tiled = Predictor.of(net, spec, m, 16)) {
        NDArray direct = one.forwardDirect(m.create(normalised, new Shape(1, 1, 32, 64)), 1)
            .softmax(1);
        assertThat(one.probabilities(image, 1)[2]).containsExactly(
            direct.get("0,2").toFloatArray(), within(1e-5f));
        float[][] whole = tiled.probabilities(image, 1);
        int x0 = 8, y0 = 4, w = 20, h = 24;   // all on the dark side
        try (Predictor view = tiled.window(image, x0, y0, w, h)) {
          float[][] window = view.probabilities(image.crop(x0, y0, w, h), 1);
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              assertThat(window[2][y * w + x]).isEqualTo(whole[2][(y0 + y) * 64 + x0 + x]);
            }
          }
        }
      }
    }
  }

  @Test
  void overlappingTilesGiveProbabilitiesForEveryPixelOfOddSizes() {
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.nn.Block net = initialised(m);
      try (Predictor p = Predictor.of(net, SPEC, m, 16).setTileBatch(3)) {
        float[][][] prob = p.probabilities(noise(53, 37, 1, 4), 0, 1);
        for (float[][] head : prob) {
          for (int i = 0; i < 53 * 37; i++) {
            float sum = 0;
            for (float[] plane : head) {
              sum += plane[i];
            }
            assertThat(sum).isCloseTo(1f, within(1e-4f));
          }
        }
        // Batching tiles changes nothing.
        p.setTileBatch(1);
        assertThat(p.probabilities(noise(53, 37, 1, 4), 1)[2])
            .containsExactly(prob[1][2], within(1e-5f));
      }
    }
  }

  @Test
  void streamedRowsComeTopToBottomInBandsOfAtMostATileAndEqualTheWholePlanes() {
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.nn.Block net = initialised(m);
      try (Predictor p = Predictor.of(net, SPEC, m, 16)) {
        for (int[] size : new int[][] {{53, 37}, {71, 58}, {10, 7}, {16, 16}, {5, 90}}) {
          int w = size[0], h = size[1];
          FloatImage image = noise(w, h, 1, w + h);
          float[][][] whole = p.probabilities(image, 1, 0);
          float[][][] rows = {new float[3][w * h], new float[2][w * h]};
          int[] next = {0, 0};   // the next row expected, the bands handed over
          p.stream(image, (y0, n, band) -> {
            assertThat(y0).isEqualTo(next[0]);
            assertThat(n).isBetween(1, 16);
            for (int head = 0; head < 2; head++) {
              for (int k = 0; k < rows[head].length; k++) {
                System.arraycopy(band[head][k], 0, rows[head][k], y0 * w, n * w);
              }
            }
            next[0] += n;
            next[1]++;
          }, 1, 0);
          assertThat(next[0]).isEqualTo(h);
          assertThat(next[1]).isGreaterThanOrEqualTo(Predictor.starts(h, 16).length);
          for (int head = 0; head < 2; head++) {
            for (int k = 0; k < rows[head].length; k++) {
              assertThat(rows[head][k]).as("%dx%d head %d class %d", w, h, head, k)
                  .containsExactly(whole[head][k]);
            }
          }
        }
        // A window view streams the window's rows, numbered from its top.
        FloatImage image = noise(71, 58, 1, 4);
        float[][] whole = p.probabilities(image, 0);
        try (Predictor view = p.window(image, 23, 17, 30, 21)) {
          float[] got = new float[30 * 21];
          view.stream(image.crop(23, 17, 30, 21), (y0, n, band) ->
              System.arraycopy(band[0][1], 0, got, y0 * 30, n * 30), 0);
          for (int y = 0; y < 21; y++) {
            for (int x = 0; x < 30; x++) {
              assertThat(got[y * 30 + x]).isEqualTo(whole[1][(17 + y) * 71 + 23 + x]);
            }
          }
        }
      }
    }
  }

  @Test
  void tilesCoverTheAxisWithHalfOverlap() {
    assertThat(Predictor.starts(53, 16)).containsExactly(0, 8, 16, 24, 32, 37);
    assertThat(Predictor.starts(16, 16)).containsExactly(0);
    assertThat(Predictor.starts(10, 16)).containsExactly(0);
    assertThat(Predictor.mirror(-1, 5)).isEqualTo(1);
    assertThat(Predictor.mirror(5, 5)).isEqualTo(3);
    float[] g = Predictor.gaussian(16);
    assertThat(g[7]).isEqualTo(g[8]);
    assertThat(g[0]).isGreaterThanOrEqualTo(Predictor.MIN_WEIGHT);
  }
}
