package org.lazyseg.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.synth.FoamGenerator;
import org.lazyseg.core.synth.FoamImage;
import org.lazyseg.train.predict.Segmentation;

/** A model trained in memory for a few steps: opening, options, whole images and regions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentationModelTest {
  private Path run;
  private FoamImage large;

  @BeforeAll
  void train(@TempDir Path dir) throws IOException {
    run = TinyModels.supervisedFoam(dir.resolve("run"));
    large = new FoamGenerator(150, 110, FoamGenerator.Settings.defaults()).generate(7);
  }

  private SegmentationModel open(SegmentationModel.Options options) throws IOException {
    return SegmentationModel.open(run, options.withThreads(1));
  }

  @Test
  void aRegionGetsTheWholeImagesClassesFromPartOfTheTiles() throws IOException {
    try (SegmentationModel model = open(SegmentationModel.Options.DEFAULT.withMinArea(0))) {
      assertThat(model.classNames()).containsExactly("cell");
      assertThat(model.method()).isEqualTo("supervised");
      assertThat(model.describe()).contains("supervised", "cell");
      Segmentation whole = model.segment(large.image());
      // 40 + 50 + one 32-pixel tile of margin stays well inside the 150-pixel-wide image.
      LabelImage classes = new LabelImage(50, 40);
      LabelImage ids = new LabelImage(50, 40);
      model.segment(large.image(), 40, 30, classes, ids);
      assertThat(classes.data()).isEqualTo(whole.classes().crop(40, 30, 50, 40, 0).data());
      for (int i = 0; i < ids.data().length; i++) {
        assertThat(ids.data()[i] > 0).isEqualTo(classes.data()[i] > 0);
      }
      assertThatThrownBy(() -> model.segment(large.image(), 120, 0, new LabelImage(50, 10),
          null)).hasMessageContaining("not inside the 150x110 image");
    }
  }

  @Test
  void theLeastObjectAreaIsTheModelsUnlessGiven() throws IOException {
    int recorded;
    try (SegmentationModel model = open(SegmentationModel.Options.DEFAULT)) {
      recorded = model.minArea();
      Segmentation s = model.segment(large.image());
      int[] area = org.lazyseg.core.ops.Components.areas(s.instances());
      for (int k = 1; k < area.length; k++) {
        assertThat(area[k]).isGreaterThanOrEqualTo(recorded);
      }
    }
    assertThat(recorded).as("a quarter of the 5th percentile of the annotated objects").isPositive();
    try (SegmentationModel none = open(SegmentationModel.Options.DEFAULT.withMinArea(
        150 * 110 + 1))) {
      assertThat(none.segment(large.image()).instances().max()).isZero();
    }
  }

  @Test
  void flipsReachThePredictorAndChangeTheProbabilitiesOnly() throws IOException {
    float[] plain, flipped;
    try (SegmentationModel model = open(SegmentationModel.Options.DEFAULT.withMinArea(0))) {
      plain = model.segment(large.image()).foregroundProbability();
    }
    try (SegmentationModel model = open(SegmentationModel.Options.DEFAULT.withMinArea(0)
        .withFlips(4))) {
      flipped = model.segment(large.image()).foregroundProbability();
    }
    assertThat(flipped).hasSameSizeAs(plain).isNotEqualTo(plain);
    double gap = 0;
    for (int i = 0; i < plain.length; i++) {
      gap = Math.max(gap, Math.abs(plain[i] - flipped[i]));
    }
    assertThat(gap).as("an average of the same network's passes, not another network")
        .isLessThan(0.5);
    assertThatThrownBy(() -> SegmentationModel.Options.DEFAULT.withFlips(8))
        .hasMessage("flips must be 1, 2 or 4, not 8");
  }

  @Test
  void aFolderThatIsNoRunIsAClearError(@TempDir Path empty) throws IOException {
    assertThatThrownBy(() -> SegmentationModel.open(empty)).isInstanceOf(IOException.class)
        .hasMessageContaining(empty + ": not a run folder");
    assertThatThrownBy(() -> SegmentationModel.Options.DEFAULT.withThreads(0))
        .hasMessageContaining("threads >= 1");
  }
}
