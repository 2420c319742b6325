package org.lazyseg.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.data.Batch;
import org.lazyseg.train.method.ObjectSizes;

class SizeObjectiveTest {
  private static final int S = 16;

  /**
   * Three crops of 16 x 16: a strong one (a 0/1 mask, no size), and two size-only images
   * (12 x 10 and 9 x 14, placed with padding around them, IGNORE there).
   */
  private static Batch batch() {
    int plane = S * S;
    int[] target = new int[3 * plane];
    java.util.Arrays.fill(target, LabelImage.IGNORE);
    for (int y = 2; y < 14; y++) {
      for (int x = 1; x < 15; x++) {
        target[y * S + x] = (x - 8) * (x - 8) + (y - 8) * (y - 8) < 20 ? 1 : 0;
      }
    }
    fillRect(target, plane, 3, 2, 12, 10);
    fillRect(target, 2 * plane, 0, 1, 9, 14);
    float[] sizes = {Float.NaN, 7f, 5.5f};
    return new Batch(3, 1, S, new float[3 * plane], new int[][] {target}, sizes);
  }

  private static void fillRect(int[] target, int offset, int x0, int y0, int w, int h) {
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        target[offset + y * S + x] = ObjectSizes.SIZE_ONLY;
      }
    }
  }

  @Test
  void autogradGivesExactlyTheComputedConstants() {
    Batch batch = batch();
    Random r = new Random(4);
    float[] logits = new float[3 * 2 * S * S];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (1.5 * r.nextGaussian()) + (i % (2 * S * S) >= S * S ? 0.8f : 0f);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(logits, new Shape(3, 2, S, S));
      a.setRequiresGradient(true);
      float value;
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        NDArray loss = new SizeObjective(2, 0.5, 11).loss(new NDList(a), batch, 1);
        c.backward(loss);
        value = loss.getFloat();
      }
      float[] grad = a.getGradient().toFloatArray();

      // The same constants from a twin objective (same seed, first call).
      float[] p1 = new float[3 * S * S];
      int plane = S * S;
      for (int e = 0; e < 3; e++) {
        for (int i = 0; i < plane; i++) {
          double d = logits[(e * 2 + 1) * plane + i] - logits[e * 2 * plane + i];
          p1[e * plane + i] = (float) (1 / (1 + Math.exp(-d)));
        }
      }
      SizeObjective.SizeStep step = new SizeObjective(2, 0.5, 11).sizeStep(p1, batch);
      assertThat(step.sizeExamples()).isEqualTo(2);
      int strongPixels = 0;
      double ce = 0;
      for (int i = 0; i < plane; i++) {
        int t = batch.targets()[0][i];
        if (t >= 0) {
          strongPixels++;
          ce -= Math.log(t == 1 ? p1[i] : 1 - p1[i]);
        }
      }
      int nonZero = 0;
      for (int e = 0; e < 3; e++) {
        for (int i = 0; i < plane; i++) {
          double p = p1[e * plane + i];
          double dLogit1;
          if (e == 0) {
            int t = batch.targets()[0][i];
            dLogit1 = t < 0 ? 0 : (p - t) / strongPixels;
          } else {
            double cst = step.gradient()[e * plane + i];
            nonZero += cst != 0 ? 1 : 0;
            dLogit1 = cst * p * (1 - p); // dp/d(a1 - a0) = p (1 - p)
          }
          assertThat((double) grad[(e * 2 + 1) * plane + i]).as("example %d pixel %d", e, i)
              .isCloseTo(dLogit1, within(1e-6 + 1e-4 * Math.abs(dLogit1)));
          assertThat((double) grad[e * 2 * plane + i]).isCloseTo(-dLogit1,
              within(1e-6 + 1e-4 * Math.abs(dLogit1)));
        }
      }
      assertThat(nonZero).as("pixels whose flips change the size").isGreaterThan(10);
      // Outside the images (padding) the size term gives nothing.
      assertThat(step.gradient()[plane]).isZero();
      assertThat((double) value).isCloseTo(ce / strongPixels + step.loss(), within(1e-4));
    }
  }

  @Test
  void aBatchWithoutSizesIsPlainCrossEntropy() {
    Batch b = batch();
    Batch strongOnly = new Batch(1, 1, S, new float[S * S],
        new int[][] {java.util.Arrays.copyOf(b.targets()[0], S * S)}, null);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.zeros(new Shape(1, 2, S, S));
      a.setRequiresGradient(true);
      float v;
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        NDArray loss = new SizeObjective(1, 1, 0).loss(new NDList(a), strongOnly, 0);
        c.backward(loss);
        v = loss.getFloat();
      }
      float mass = 0;
      for (float g : a.getGradient().toFloatArray()) {
        mass += Math.abs(g);
      }
      assertThat(mass).as("|p - y| / count summed over both logits").isCloseTo(1f, within(1e-4f));
      assertThat(v).isCloseTo((float) Math.log(2), within(1e-5f));
    }
  }
}
