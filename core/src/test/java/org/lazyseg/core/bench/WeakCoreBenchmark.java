package org.lazyseg.core.bench;

import org.lazyseg.core.weak.ObjectSizeTest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.DistanceTransforms;
import org.lazyseg.core.ops.DistanceTransforms.Border;
import org.lazyseg.core.weak.ObjectSize;
import org.lazyseg.core.weak.SuperpixelVoting;

/**
 * Java side of {@code bench/weak_core.sh}: times our distance transforms and superpixels on
 * the grey PNGs {@code bench/weak_core.py generate} writes, with the same operations and
 * parameters as the Python side, and prints one JSON line per operation and image (keys as
 * {@code weak_core.py time}). Also times {@link ObjectSize#sizesAfterSingleFlips} on a
 * 256 x 256 filled ellipse and brute force (one transform per flipped pixel) on a 64 x 64 one,
 * which have no Python counterpart.
 *
 * <p>The mask is {@code grey >= 128}, the same on both sides; distances are to the nearest
 * non-mask pixel inside the image (SciPy's convention, our {@link Border#INSIDE_ONLY}).
 * Each operation runs once untimed, then {@code repeats} times; median and minimum are in ms.
 *
 * <p>usage: {@code WeakCoreBenchmark [--repeats N] [--no-flips] IMAGE.png...}
 */
public final class WeakCoreBenchmark {
  /** Same as weak_core.py: skimage felzenszwalb(scale=100, sigma=0.5, min_size=20). */
  static final double SCALE = 100, SIGMA = 0.5;
  static final int MIN_SIZE = 20;

  private WeakCoreBenchmark() {}

  public static void main(String[] args) {
    int repeats = 3;
    boolean flips = true;
    List<Path> images = new ArrayList<>();
    for (int a = 0; a < args.length; a++) {
      switch (args[a]) {
        case "--repeats" -> repeats = Integer.parseInt(args[++a]);
        case "--no-flips" -> flips = false;
        default -> images.add(Path.of(args[a]));
      }
    }
    for (Path file : images) {
      FloatImage grey = ImageFiles.readImage(file);
      LabelImage mask = threshold(grey);
      String size = grey.width() + "x" + grey.height();
      emit("edt", size, repeats, () -> DistanceTransforms.euclidean(mask, Border.INSIDE_ONLY));
      emit("cdt_chessboard", size, repeats,
          () -> DistanceTransforms.chebyshev(mask, Border.INSIDE_ONLY));
      emit("felzenszwalb", size, repeats,
          () -> SuperpixelVoting.superpixels(grey, SCALE, SIGMA, MIN_SIZE));
    }
    if (flips) {
      LabelImage big = ObjectSizeTest.filledEllipse(256, 256);
      emit("size_flips_fast", "256x256", Math.max(repeats, 5),
          () -> ObjectSize.sizesAfterSingleFlips(big));
      LabelImage small = ObjectSizeTest.filledEllipse(64, 64);
      emit("size_flips_bruteforce", "64x64", 1, () -> ObjectSizeTest.bruteForceFlips(small));
    }
  }

  /** Grey >= 128 of 255 (read as v / 255), exactly as the Python side thresholds. */
  static LabelImage threshold(FloatImage grey) {
    float[] g = grey.data();
    int[] m = new int[grey.width() * grey.height()];
    for (int i = 0; i < m.length; i++) {
      m[i] = Math.round(g[i] * 255f) >= 128 ? 1 : 0;
    }
    return new LabelImage(grey.width(), grey.height(), m);
  }

  /** Times {@code work}: one untimed warm-up, then {@code repeats} runs; prints a JSON line. */
  static void emit(String op, String size, int repeats, Supplier<?> work) {
    Object sink = work.get();
    double[] ms = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      sink = work.get();
      ms[r] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    double median = repeats % 2 == 1 ? ms[repeats / 2] : (ms[repeats / 2 - 1] + ms[repeats / 2]) / 2;
    String extra = sink instanceof LabelImage l ? ", \"segments\": " + l.max() : "";
    System.out.printf(Locale.ROOT,
        "{\"impl\": \"java\", \"op\": \"%s\", \"size\": \"%s\", \"repeats\": %d,"
            + " \"median_ms\": %.3f, \"min_ms\": %.3f%s}%n",
        op, size, repeats, median, ms[0], extra);
  }
}
