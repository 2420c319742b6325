package org.lazyseg.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/** The tags-dsb2018 preset end to end on a tiny stand-in dataset with seconds-long runs. */
class TagsPresetTest {
  @TempDir Path dir;

  /**
   * {@code side} x {@code side} noise with three discs of radius 5 within 10 + 40 pixels of
   * the top-left corner (at 128: in the top-left quarter, so patches are positive and
   * negative); the last two images are split test.
   */
  static void writeDataset(Path data, int images, int side) throws Exception {
    Random rng = new Random(1);
    int spread = Math.min(40, side - 20);
    StringBuilder split = new StringBuilder("id,split\n");
    for (int n = 0; n < images; n++) {
      FloatImage image = new FloatImage(side, side, 1);
      LabelImage mask = new LabelImage(side, side);
      for (int k = 1; k <= 3; k++) {
        int cx = 10 + rng.nextInt(spread), cy = 10 + rng.nextInt(spread);
        for (int y = cy - 5; y <= cy + 5; y++) {
          for (int x = cx - 5; x <= cx + 5; x++) {
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 25) {
              mask.set(x, y, k);
            }
          }
        }
      }
      for (int i = 0; i < image.data().length; i++) {
        image.data()[i] = (mask.data()[i] > 0 ? 0.7f : 0.3f) + 0.05f * (float) rng.nextGaussian();
      }
      String id = "img" + n;
      ImageFiles.writeImage(image, data.resolve("images/" + id + ".png"), false);
      ImageFiles.writeLabels(mask, data.resolve("masks/" + id + ".png"));
      split.append(id).append(n < images - 2 ? ",train\n" : ",test\n");
    }
    Files.writeString(data.resolve("split.csv"), split);
  }

  @Test
  void writesTheTableWithEveryPoolingAndTheSupervisedReference() throws Exception {
    writeDataset(dir.resolve("data/dsb2018"), 5, 128);
    Path out = dir.resolve("exp");
    String[] args = {"experiment", "--preset", "tags-dsb2018", "--data-root",
        dir.resolve("data").toString(), "--out", out.toString(), "--profile", "quick",
        "--minutes-per-run", "0.01", "--threads", "1", "--no-progress"};
    ExperimentsTest.Result first = ExperimentsTest.run(args);
    assertThat(first.code()).as(first.err()).isZero();
    String table = Files.readString(out.resolve("tags-dsb2018/results.md"));
    assertThat(table).contains("| raw maps |", "after superpixel voting",
        "after refinement round 2", "classification accuracy", "| GAP |", "GWP1", "GWP13",
        "| GMP |", "fully supervised");
    try (Stream<Path> s = Files.walk(out)) {
      assertThat(s.filter(p -> p.getFileName().toString().equals("done.json"))).hasSize(10);
    }
    try (Stream<Path> s = Files.walk(out)) {
      // the reference trains on whole patches, not the profile's crop (mostly padding)
      assertThat(s.map(p -> p.getFileName().toString()))
          .contains("supervised-crop64-f1-s0").doesNotContain("supervised-f1-s0");
    }
    ExperimentsTest.Result again = ExperimentsTest.run(args);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.err()).doesNotContain("lazyseg: run ", "cutting patches");
  }
}
