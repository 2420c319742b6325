package org.lazyseg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/** A tiny dataset for command tests. */
final class Discs {
  private Discs() {}

  /**
   * {@code n} images of 48 x 48: two bright discs (radius {@code minRadius} to {@code
   * minRadius} + 3) on dark noise, masks of instance ids; the last two images are split test.
   */
  static void write(Path data, int n, long seed, int minRadius) throws Exception {
    Random rnd = new Random(seed);
    StringBuilder split = new StringBuilder("id,split\n");
    for (int i = 0; i < n; i++) {
      FloatImage img = new FloatImage(48, 48, 1);
      LabelImage mask = new LabelImage(48, 48);
      for (int k = 1; k <= 2; k++) {
        int cx = 10 + rnd.nextInt(28), cy = 10 + rnd.nextInt(28);
        int r = minRadius + rnd.nextInt(4);
        for (int y = 0; y < 48; y++) {
          for (int x = 0; x < 48; x++) {
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
              mask.set(x, y, k);
            }
          }
        }
      }
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 48; x++) {
          img.set(0, x, y, (mask.get(x, y) > 0 ? 0.7f : 0.2f) + 0.1f * rnd.nextFloat());
        }
      }
      String id = "im" + i;
      ImageFiles.writeImage(img, data.resolve("images/" + id + ".png"), false);
      ImageFiles.writeLabels(mask, data.resolve("masks/" + id + ".png"));
      split.append(id).append(',').append(i < n - 2 ? "train" : "test").append('\n');
    }
    Files.writeString(data.resolve("split.csv"), split);
  }

  /**
   * Trains a U-Net of width 4 on {@code data} into {@code run} for a few steps on one thread
   * (a second or two): a model for tests of what comes after training.
   */
  static CliTest.Result trainTiny(Path data, Path run, int depth, int steps, int epochs) {
    CliTest.Result r = CliTest.run("train", "--data", data.toString(), "--out", run.toString(),
        "--profile", "quick", "--crop", "32", "--batch", "2", "--width", "4", "--depth",
        Integer.toString(depth), "--steps-per-epoch", Integer.toString(steps), "--epochs",
        Integer.toString(epochs), "--threads", "1", "--no-progress");
    org.assertj.core.api.Assertions.assertThat(r.code()).as(r.err()).isZero();
    return r;
  }
}
