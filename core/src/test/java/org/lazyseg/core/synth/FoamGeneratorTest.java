package org.lazyseg.core.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

class FoamGeneratorTest {
  private static FoamImage sample;

  @BeforeAll
  static void generateOnce() {
    sample = new FoamGenerator().generate(42);
  }

  @Test
  void sameSeedGivesIdenticalPixels() {
    FoamImage again = new FoamGenerator().generate(42);
    assertThat(again.image().data()).containsExactly(sample.image().data());
    assertThat(again.classes().data()).containsExactly(sample.classes().data());
    assertThat(again.instances().data()).containsExactly(sample.instances().data());
  }

  @Test
  void otherSeedGivesOtherPixels() {
    assertThat(new FoamGenerator().generate(43).instances().data())
        .isNotEqualTo(sample.instances().data());
  }

  @Test
  void imageIsGreyInUnitRangeAndDefaultSize() {
    assertThat(sample.image().width()).isEqualTo(192);
    assertThat(sample.image().height()).isEqualTo(192);
    assertThat(sample.image().channels()).isEqualTo(1);
    for (float v : sample.image().data()) {
      assertThat(v).isBetween(0f, 1f);
    }
  }

  @Test
  void bothClassesAndBackgroundArePresent() {
    boolean[] seen = new boolean[3];
    for (int c : sample.classes().data()) {
      seen[c] = true;
    }
    assertThat(seen).containsExactly(true, true, true);
  }

  @Test
  void eachInstanceHasOneClassAndClassesFollowInstances() {
    int[] ids = sample.instances().data(), cls = sample.classes().data();
    int[] classOf = new int[sample.instances().max() + 1];
    for (int p = 0; p < ids.length; p++) {
      assertThat(ids[p] == 0).isEqualTo(cls[p] == 0);
      if (ids[p] > 0) {
        assertThat(classOf[ids[p]]).isIn(0, cls[p]);
        classOf[ids[p]] = cls[p];
      }
    }
  }

  @Test
  void manyObjectsTouchAnotherObject() {
    LabelImage inst = sample.instances();
    int n = inst.max(), w = inst.width(), h = inst.height();
    boolean[] touches = new boolean[n + 1];
    int[] d = inst.data();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        if (x + 1 < w && d[p] > 0 && d[p + 1] > 0 && d[p] != d[p + 1]) {
          touches[d[p]] = touches[d[p + 1]] = true;
        }
        if (y + 1 < h && d[p] > 0 && d[p + w] > 0 && d[p] != d[p + w]) {
          touches[d[p]] = touches[d[p + w]] = true;
        }
      }
    }
    int touching = 0;
    for (int i = 1; i <= n; i++) {
      touching += touches[i] ? 1 : 0;
    }
    assertThat(n).isGreaterThan(20);
    assertThat((double) touching / n).isGreaterThan(0.3);
  }

  @Test
  void crystalsAreBrighterThanBubbleInteriors() {
    double[] sum = new double[3];
    int[] count = new int[3];
    int[] cls = sample.classes().data();
    float[] v = sample.image().data();
    for (int p = 0; p < cls.length; p++) {
      sum[cls[p]] += v[p];
      count[cls[p]]++;
    }
    // Whole-object means: bubble rims are bright, yet the dark cavities dominate.
    assertThat(sum[2] / count[2]).isGreaterThan(sum[1] / count[1] + 0.1);
  }

  @Test
  void writesTheDocumentedLayout(@TempDir Path dir) throws Exception {
    FoamGenerator small = new FoamGenerator(64, 48, FoamGenerator.Settings.defaults());
    small.writeDataset(dir, 2, 1, 5);
    assertThat(Files.readString(dir.resolve("classes.txt"))).isEqualTo("bubble\ncrystal\n");
    assertThat(Files.readString(dir.resolve("split.csv")))
        .isEqualTo("id,split\nfoam0000,train\nfoam0001,train\nfoam0002,test\n");
    FoamImage first = small.generate(FoamGenerator.imageSeed(5, 0));
    assertThat(ImageFiles.readLabels(dir.resolve("masks/foam0000.png")).data())
        .containsExactly(first.classes().data());
    assertThat(ImageFiles.readLabels(dir.resolve("instances/foam0000.png")).data())
        .containsExactly(first.instances().data());
    assertThat(ImageFiles.readRaster(dir.resolve("instances/foam0000.png")).getSampleModel().getSampleSize(0))
        .isEqualTo(16);
    assertThat(ImageFiles.readImage(dir.resolve("images/foam0002.png")).width()).isEqualTo(64);
  }
}
