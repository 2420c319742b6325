package org.lazyseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

class PatchesTest {
  @TempDir Path dir;

  /** A 50 x 40 grey image of noise, with instances (discs) only in its left half. */
  private void sourceWithObjectsOnTheLeft(String id) {
    Random rng = new Random(id.hashCode());
    FloatImage img = new FloatImage(50, 40, 1);
    for (int i = 0; i < img.data().length; i++) {
      img.data()[i] = rng.nextFloat();
    }
    ImageFiles.writeImage(img, dir.resolve("src/images/" + id + ".png"), false);
    LabelImage mask = new LabelImage(50, 40);
    int[][] centres = {{6, 6}, {12, 30}, {20, 18}};
    for (int k = 0; k < centres.length; k++) {
      for (int y = 0; y < 40; y++) {
        for (int x = 0; x < 50; x++) {
          int dx = x - centres[k][0], dy = y - centres[k][1];
          if (dx * dx + dy * dy <= 9) {
            mask.set(x, y, k + 1);
          }
        }
      }
    }
    ImageFiles.writeLabels(mask, dir.resolve("src/masks/" + id + ".png"));
  }

  @Test
  void aPatchIsPositiveExactlyWhenItHoldsForegroundAndNegativesExist() throws IOException {
    sourceWithObjectsOnTheLeft("a");
    sourceWithObjectsOnTheLeft("b");
    Files.writeString(dir.resolve("src/split.csv"), "id,split\nb,test\n");
    Patches.Summary s = Patches.cut(Dataset.open(dir.resolve("src")), dir.resolve("out"),
        Patches.Options.of(16), ProgressCallback.NONE);

    // Grid: x at 0, 16, 32, 34; y at 0, 16, 24: 12 patches per image, all written.
    assertThat(s.positive() + s.negative()).isEqualTo(24);
    assertThat(s.positive()).isEqualTo(10);
    assertThat(s.negative()).isEqualTo(14);
    Dataset out = Dataset.open(dir.resolve("out"));
    out.validateAll(ProgressCallback.NONE);
    assertThat(out.samples()).hasSize(24);
    assertThat(out.samples("test")).hasSize(12);
    int positives = 0;
    for (Sample p : out.samples()) {
      assertThat(p.loadImage().width()).isEqualTo(16);
      boolean tagged = p.tags().orElseThrow()[0];
      boolean holdsForeground = p.loadClasses().max() > 0;
      assertThat(tagged).as(p.id()).isEqualTo(holdsForeground);
      positives += tagged ? 1 : 0;
    }
    assertThat(positives).isEqualTo(s.positive());
  }

  @Test
  void patchesKeepTheExactSourcePixelsAndMask() {
    sourceWithObjectsOnTheLeft("a");
    Patches.cut(Dataset.open(dir.resolve("src")), dir.resolve("out"), Patches.Options.of(16),
        ProgressCallback.NONE);
    FloatImage src = ImageFiles.readImage(dir.resolve("src/images/a.png"));
    LabelImage srcMask = ImageFiles.readLabels(dir.resolve("src/masks/a.png"));
    Sample p = Dataset.open(dir.resolve("out")).sample("a_34_24").orElseThrow();
    FloatImage patch = p.loadImage();
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        assertThat(patch.get(0, x, y)).isEqualTo(src.get(0, 34 + x, 24 + y));
      }
    }
    assertThat(p.loadInstances().data()).isEqualTo(srcMask.crop(34, 24, 16, 16, 0).data());
  }

  @Test
  void slivers_balancingAndTagOnlyImages() throws IOException {
    sourceWithObjectsOnTheLeft("a");
    // c: tags only, absent: all its patches are negative; d: tags only, present: left out.
    ImageFiles.writeImage(new FloatImage(32, 32, 1), dir.resolve("src/images/c.png"), false);
    ImageFiles.writeImage(new FloatImage(32, 32, 1), dir.resolve("src/images/d.png"), false);
    Files.writeString(dir.resolve("src/tags.csv"), "id,cell\nc,0\nd,1\n");
    Dataset src = Dataset.open(dir.resolve("src"));

    Patches.Summary all = Patches.cut(src, dir.resolve("all"), Patches.Options.of(16),
        ProgressCallback.NONE);
    assertThat(all.unlabelled()).isEqualTo(4);
    assertThat(Dataset.open(dir.resolve("all")).sample("c_16_16").orElseThrow().tags()
        .orElseThrow()).containsExactly(false);

    // Disc 3 (centre 20,18, radius 3) pokes one pixel (row 15) into the patch at (16, 0);
    // the other cut discs keep 23 and 28 of their 29 pixels.
    Patches.Summary strict = Patches.cut(src, dir.resolve("strict"),
        new Patches.Options(16, 16, 5, false, 0, 0), ProgressCallback.NONE);
    assertThat(strict.ambiguous()).isEqualTo(1);
    assertThat(Dataset.open(dir.resolve("strict")).sample("a_16_0")).isEmpty();
    assertThat(strict.positive()).isEqualTo(all.positive() - 1);

    Patches.Summary balanced = Patches.cut(src, dir.resolve("balanced"),
        new Patches.Options(16, 16, 1, true, 0, 7), ProgressCallback.NONE);
    assertThat(balanced.positive()).isEqualTo(balanced.negative())
        .isEqualTo(Math.min(all.positive(), all.negative()));
    assertThat(balanced.dropped()).isEqualTo(Math.abs(all.positive() - all.negative()));

    Patches.Summary limited = Patches.cut(src, dir.resolve("limited"),
        new Patches.Options(16, 16, 1, false, 3, 7), ProgressCallback.NONE);
    assertThat(limited.positive()).isEqualTo(3);
    assertThat(limited.negative()).isEqualTo(3);
  }

  @Test
  void theGridCoversEveryPixelWithFullPatches() {
    assertThat(Patches.starts(50, 16, 16)).containsExactly(0, 16, 32, 34);
    assertThat(Patches.starts(48, 16, 16)).containsExactly(0, 16, 32);
    assertThat(Patches.starts(16, 16, 16)).containsExactly(0);
    assertThat(Patches.starts(15, 16, 16)).isEmpty();
    assertThat(Patches.starts(40, 16, 8)).containsExactly(0, 8, 16, 24);
  }

  @Test
  void refusesAFolderThatHoldsADataset() {
    sourceWithObjectsOnTheLeft("a");
    Dataset src = Dataset.open(dir.resolve("src"));
    Patches.cut(src, dir.resolve("out"), Patches.Options.of(16), ProgressCallback.NONE);
    assertThatThrownBy(() -> Patches.cut(src, dir.resolve("out"), Patches.Options.of(16),
        ProgressCallback.NONE)).isInstanceOf(DatasetException.class)
        .hasMessageContaining("already holds a dataset");
  }
}
