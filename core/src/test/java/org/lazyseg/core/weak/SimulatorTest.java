package org.lazyseg.core.weak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;

class SimulatorTest {
  private static final int SIZE = 72;

  @TempDir Path dir;

  /**
   * Five grey images of bright noisy discs on dark noise, instance masks, the last one a test
   * image; with {@code classes}, masks hold class ids 1 and 2 and classes.txt lists two.
   */
  private Path discs(boolean classes) throws IOException {
    Path data = dir.resolve(classes ? "truth-classes" : "truth");
    Random rnd = new Random(11);
    StringBuilder split = new StringBuilder("id,split\n");
    for (int k = 0; k < 5; k++) {
      String id = "img" + k;
      FloatImage img = new FloatImage(SIZE, SIZE, 1);
      LabelImage mask = new LabelImage(SIZE, SIZE);
      double[][] centres = {{20, 22}, {50, 24}, {36, 52}};
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          int inside = 0;
          for (int d = 0; d < centres.length; d++) {
            if (Math.hypot(x - centres[d][0] - k, y - centres[d][1]) <= 10 + k % 3) {
              inside = d + 1;
            }
          }
          img.set(0, x, y, (float) Math.min(1, Math.max(0,
              (inside > 0 ? 0.75 : 0.2) + 0.05 * rnd.nextGaussian())));
          mask.set(x, y, inside == 0 ? 0 : classes ? 1 + (inside + k) % 2 : inside * 7);
        }
      }
      ImageFiles.writeImage(img, data.resolve("images").resolve(id + ".png"), false);
      ImageFiles.writeLabels(mask, data.resolve("masks").resolve(id + ".png"));
      split.append(id).append(',').append(k == 4 ? "test" : "train").append('\n');
    }
    Files.writeString(data.resolve("split.csv"), split);
    if (classes) {
      Files.writeString(data.resolve("classes.txt"), "round\noval\n");
    }
    return data;
  }

  private static Simulator.Options options(boolean pseudo, int threads) {
    return new Simulator.Options(0.25, 1.0, 1.0, true, true, true, 5, pseudo, threads);
  }

  @Test
  void partialMasksHoldInstanceIdsWithoutClassesTxt() throws IOException {
    Dataset truth = Dataset.open(discs(false));
    Path out = dir.resolve("sim");
    Simulator.simulate(truth, out, options(false, 1), ProgressCallback.NONE);
    Dataset sim = Dataset.open(out);
    assertThat(sim.labelsHoldClassIds()).isFalse();
    assertThat(Files.exists(out.resolve("pseudo"))).isFalse();
    int checked = 0;
    for (Sample s : sim.samples(Dataset.TRAIN)) {
      int[] part = s.loadPartial().data();
      int[] ids = truth.sample(s.id()).orElseThrow().loadInstances().data();
      for (int i = 0; i < part.length; i++) {
        if (part[i] > 0) {
          assertThat(part[i]).isEqualTo(ids[i]);
          checked++;
        }
      }
      assertThat(Components.countIds(s.loadPartial())).isEqualTo(3);
    }
    assertThat(checked).isPositive();
  }

  @Test
  void pseudoMasksForEveryTrainingImageWithAPartialMask() throws IOException {
    Dataset truth = Dataset.open(discs(false));
    Path out = dir.resolve("sim");
    List<String> progress = new ArrayList<>();
    Simulator.Summary summary = Simulator.simulate(truth, out, options(true, 2),
        (done, total, id) -> progress.add(done + "/" + total));
    // 5 images, then 4 pseudo masks, one bar.
    assertThat(progress).hasSize(9).last().isEqualTo("9/9");
    assertThat(summary.pseudo()).isEqualTo(4);
    assertThat(summary.meanPseudoDice()).isGreaterThan(0.85);
    assertThat(summary.toString()).contains("4 pseudo masks");
    Dataset sim = Dataset.open(out);
    sim.validateAll(ProgressCallback.NONE);
    for (Sample s : sim.samples()) {
      assertThat(s.pseudo().isPresent()).as(s.id()).isEqualTo(s.partial().isPresent());
      if (s.pseudo().isEmpty()) {
        continue;
      }
      // The convention of masks/: instance ids, each grown from the core of that instance.
      LabelImage pseudo = s.loadPseudo();
      int[] p = pseudo.data(), part = s.loadPartial().data();
      for (int i = 0; i < p.length; i++) {
        if (part[i] > 0) {
          assertThat(p[i]).isEqualTo(part[i]);
        }
      }
      assertThat(Components.countIds(pseudo)).isEqualTo(3);
      assertThat(Files.isRegularFile(out.resolve("overlays/pseudo/" + s.id() + ".png"))).isTrue();
    }
  }

  @Test
  void pseudoMasksHoldClassIdsWithClassesTxt() throws IOException {
    Dataset truth = Dataset.open(discs(true));
    Path out = dir.resolve("sim");
    Simulator.simulate(truth, out, options(true, 1), ProgressCallback.NONE);
    Dataset sim = Dataset.open(out);
    assertThat(sim.labelsHoldClassIds()).isTrue();
    for (Sample s : sim.samples(Dataset.TRAIN)) {
      int[] p = s.loadPseudo().data(), cls = truth.sample(s.id()).orElseThrow().loadClasses().data();
      int[] part = s.loadPartial().data();
      for (int i = 0; i < p.length; i++) {
        assertThat(p[i]).isBetween(0, 2);
        if (part[i] > 0) {
          assertThat(p[i]).isEqualTo(cls[i]);
        }
      }
    }
  }

  @Test
  void sameSeedSameOutputWhateverTheThreads() throws IOException {
    Dataset truth = Dataset.open(discs(false));
    Path a = dir.resolve("a"), b = dir.resolve("b");
    Simulator.simulate(truth, a, options(true, 1), ProgressCallback.NONE);
    Simulator.simulate(truth, b, options(true, 3), ProgressCallback.NONE);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(a)) {
      files = walk.filter(Files::isRegularFile).map(a::relativize).sorted().toList();
    }
    assertThat(files).anyMatch(f -> f.startsWith("pseudo"));
    for (Path f : files) {
      assertThat(Files.readAllBytes(b.resolve(f))).as(f.toString())
          .isEqualTo(Files.readAllBytes(a.resolve(f)));
    }
  }
}
