package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.api.Training;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.synth.FoamGenerator;
import org.lazyseg.core.synth.FoamImage;
import org.lazyseg.core.weak.LazyLabels;
import org.lazyseg.core.weak.ObjectSize;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Batch;
import org.lazyseg.train.engine.TrainingResult;

/**
 * The lazy method's terms, each on a 2 x 2 or 4 x 4 crop whose gradient is known in closed
 * form, and a few training steps on a tiny dataset with every kind of label.
 */
class MixedLabelsTest {
  private static final float IG = LabelImage.IGNORE;
  private static final int K = 1;

  private static MixedLabels.Terms terms(Map<String, String> options) {
    MixedLabels m = new MixedLabels().configure(options);
    return new MixedLabels.Terms(m.tasks(K), m.settingsValues(), 7);
  }

  /** Three pixel heads of zero logits: every softmax is 1/2. */
  private static float[] gradientOfPixelTerms(Map<String, String> options, int[][] targets,
      int n, int s) {
    Batch batch = new Batch(n, 1, s, new float[n * s * s], targets, null);
    try (NDManager m = NDManager.newBaseManager()) {
      NDList logits = new NDList();
      for (int t = 0; t < 3; t++) {
        NDArray a = m.zeros(new Shape(n, 2, s, s));
        a.setRequiresGradient(true);
        logits.add(a);
      }
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        c.backward(terms(options).loss(logits, batch, 0));
      }
      float[] out = new float[0];
      for (NDArray a : logits) {
        float[] g = a.getGradient().toFloatArray();
        float[] joined = Arrays.copyOf(out, out.length + g.length);
        System.arraycopy(g, 0, joined, out.length, g.length);
        out = joined;
      }
      return out;
    }
  }

  @Test
  void segmentationDetectionAndSeparationHaveTheMaskedCrossEntropyGradient() {
    // One 2 x 2 crop: head 0 learns a strong mask, head 1 a partial mask with one pixel
    // unlabelled, head 2 scribbles with one interface pixel.
    int[][] targets = {{0, 1, 1, 0}, {1, (int) IG, 0, 0}, {0, 0, 1, 0}};
    float[] g = gradientOfPixelTerms(Map.of("detection-weight", "2", "separation", "true"),
        targets, 1, 2);
    // Layout: head t, class c, pixel i at t * 8 + c * 4 + i. d CE / d logit_c = (1/2 - y_c) / n.
    for (int i = 0; i < 4; i++) {
      float y = targets[0][i];
      assertThat(g[4 + i]).as("segmentation pixel %d", i).isCloseTo((0.5f - y) / 4, within(1e-6f));
    }
    float[] det = {1, Float.NaN, 0, 0};
    for (int i = 0; i < 4; i++) {
      float expected = Float.isNaN(det[i]) ? 0 : 2 * (0.5f - det[i]) / 3;   // weight 2, 3 labelled
      assertThat(g[8 + 4 + i]).as("detection pixel %d", i).isCloseTo(expected, within(1e-6f));
    }
    // Separation: an interface pixel weighs 20, so the mean is over 3 + 20 weights.
    for (int i = 0; i < 4; i++) {
      float y = targets[2][i];
      float w = y > 0 ? 20 : 1;
      assertThat(g[16 + 4 + i]).as("separation pixel %d", i)
          .isCloseTo(w * (0.5f - y) / 23, within(1e-6f));
    }
  }

  /** The gradient of a term with respect to the head-0 probabilities, (N, 2, S, S). */
  private static float[] gradientWrtProbabilities(float[] p, int n, int s, Batch batch,
      BiFunction<NDArray, Batch, NDArray> term) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray probs = m.create(p, new Shape(n, 2, s, s));
      probs.setRequiresGradient(true);
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        NDArray loss = term.apply(probs, batch);
        if (loss == null) {
          return new float[p.length];
        }
        c.backward(loss);
      }
      return probs.getGradient().toFloatArray();
    }
  }

  @Test
  void sizeTermGradientIsTheExactFlipDifferenceOnAWholeImage() {
    // A 4 x 4 crop holding a 3 x 4 image (columns 0..2) whose foreground is certain: a 2 x 2
    // square, so the binarisation has one outcome and the estimate is exact.
    int s = 4, n = 2;
    LabelImage mask = new LabelImage(3, 4);
    mask.set(0, 1, 1);
    mask.set(1, 1, 1);
    mask.set(0, 2, 1);
    mask.set(1, 2, 1);
    float[] p = new float[n * 2 * s * s];
    for (int e = 0; e < n; e++) {
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          boolean fg = x < 3 && mask.get(x, y) > 0;
          p[(e * 2) * s * s + y * s + x] = fg ? 0 : 1;        // background probability
          p[(e * 2 + 1) * s * s + y * s + x] = fg ? 1 : 0;
        }
      }
    }
    float size = 5;
    float[] labels = {size, Float.NaN, size, Float.NaN};   // [size, tag] of two examples
    int[][] whole = {{0, 0, 2, 3}, null};                   // the second crop cuts the image
    Batch batch = new Batch(n, 1, s, new float[n * s * s], new int[][] {new int[n * s * s]},
        labels, whole);
    MixedLabels.Terms t = terms(Map.of("size-weight", "3"));
    float[] g = gradientWrtProbabilities(p, n, s, batch, t::size);
    double base = Math.pow(ObjectSize.size(mask) - size, 2) / (size * size);
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        double expected = 0;
        if (x < 3) {
          LabelImage on = mask.copy(), off = mask.copy();
          on.set(x, y, 1);
          off.set(x, y, 0);
          double lOn = Math.pow(ObjectSize.size(on) - size, 2) / (size * size);
          double lOff = Math.pow(ObjectSize.size(off) - size, 2) / (size * size);
          expected = 3 * (lOn - lOff);   // weight 3, one size example in the batch
        }
        // d/d p(background) = - d/d p(foreground)
        assertThat(g[y * s + x]).as("pixel %d,%d", x, y).isCloseTo((float) -expected,
            within(1e-5f));
        assertThat(g[s * s + y * s + x]).isZero();
        assertThat(g[2 * s * s + y * s + x]).as("a cut image gives no size gradient").isZero();
      }
    }
    assertThat(base).isGreaterThan(0);
  }

  @Test
  void tagTermGradientIsTheBinaryCrossEntropyOfTheAverage() {
    // r = 0: GWP is the average. Class map 0.25 everywhere on 2 x 2 crops.
    int s = 2, n = 3;
    float[] p = new float[n * 2 * s * s];
    for (int e = 0; e < n; e++) {
      for (int i = 0; i < s * s; i++) {
        p[(e * 2) * s * s + i] = 0.75f;
        p[(e * 2 + 1) * s * s + i] = 0.25f;
      }
    }
    // Example 0: present, whole image; 1: absent, cut crop; 2: present, cut crop (no evidence).
    float[] labels = {Float.NaN, 1, Float.NaN, 0, Float.NaN, 1};
    int[][] whole = {{0, 0, 1, 1}, null, null};
    Batch batch = new Batch(n, 1, s, new float[n * s * s], new int[][] {new int[n * s * s]},
        labels, whole);
    float[] g = gradientWrtProbabilities(p, n, s, batch, terms(Map.of("r", "0", "tag-weight",
        "2"))::tags);
    int plane = s * s;
    for (int i = 0; i < plane; i++) {
      // BCE averaged over the 2 counted tags; mean over 4 pixels; weight 2.
      assertThat(g[plane + i]).isCloseTo(2 * (-1 / 0.25f) / 4 / 2, within(1e-5f));
      assertThat(g[3 * plane + i]).isCloseTo(2 * (1 / 0.75f) / 4 / 2, within(1e-5f));
      assertThat(g[5 * plane + i]).isZero();
      assertThat(g[i]).isZero();   // the background map is not pooled
    }
  }

  @Test
  void anImageWithoutLabelsGetsNoGradientFromAnyTerm() {
    int s = 4, n = 2, plane = s * s;
    int[][] targets = new int[3][n * plane];
    for (int[] t : targets) {
      Arrays.fill(t, LabelImage.IGNORE);
      Arrays.fill(t, 0, plane / 2, 1);
      Arrays.fill(t, plane / 2, plane, 0);
    }
    float[] labels = {4, 1, Float.NaN, Float.NaN};
    Batch batch = new Batch(n, 1, s, new float[n * plane], targets, labels,
        new int[][] {{0, 0, 3, 3}, {0, 0, 3, 3}});
    Random r = new Random(2);
    try (NDManager m = NDManager.newBaseManager()) {
      NDList logits = new NDList();
      for (int t = 0; t < 3; t++) {
        float[] v = new float[n * 2 * plane];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) r.nextGaussian();
        }
        NDArray a = m.create(v, new Shape(n, 2, s, s));
        a.setRequiresGradient(true);
        logits.add(a);
      }
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        c.backward(terms(Map.of("separation", "true")).loss(logits, batch, 0));
      }
      for (int t = 0; t < 3; t++) {
        float[] g = logits.get(t).getGradient().toFloatArray();
        float first = 0, second = 0;
        for (int i = 0; i < 2 * plane; i++) {
          first += Math.abs(g[i]);
          second += Math.abs(g[2 * plane + i]);
        }
        assertThat(first).as("head %d, labelled image", t).isGreaterThan(0);
        assertThat(second).as("head %d, unlabelled image", t).isZero();
      }
    }
  }

  @Test
  void imageLabelsHoldSizeAndTagsOnlyWhereTheImageHasThem() {
    MixedLabels m = new MixedLabels();
    LabeledImage plain = LabeledImage.of("a", new org.lazyseg.core.image.FloatImage(4, 4, 1));
    assertThat(m.imageLabels(plain, 2)).isNull();
    assertThat(m.imageLabels(plain.withTags(true, false), 2)).containsExactly(Float.NaN, 1, 0);
    assertThat(m.imageLabels(plain.withObjectSize(6), 2)).containsExactly(6, Float.NaN,
        Float.NaN);
    assertThat(m.tasks(2)).extracting(Task::name)
        .containsExactly("segmentation", "detection", "separation");
    assertThat(m.forData(TrainingSet.of(List.of("c"), List.of(plain))).tasks(1)).hasSize(2);
  }

  @Test
  void pseudoMasksTeachTheSegmentationHeadOnlyWhenAskedFor() {
    int[] core = {0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0};
    int[] grown = {0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0};
    LabeledImage weak = LabeledImage.of("w", new org.lazyseg.core.image.FloatImage(4, 4, 1))
        .withPartial(new LabelImage(4, 4, core)).withPseudo(new LabelImage(4, 4, grown));
    LabelImage[] plain = new MixedLabels().configure(Map.of("pseudo-labels", "false"))
        .targets(weak, K);
    LabelImage[] pseudo = new MixedLabels().targets(weak, K);   // the default
    assertThat(plain[0]).isNull();
    assertThat(pseudo[0].data()).containsExactly(grown);
    assertThat(pseudo[1].data()).containsExactly(plain[1].data());   // detection unchanged
    // Recorded either way: runs from before the default changed left it out.
    assertThat(new MixedLabels().options()).containsEntry("pseudo-labels", "true");
    assertThat(new MixedLabels().configure(Map.of("pseudo-labels", "false")).options())
        .containsEntry("pseudo-labels", "false");
  }

  @Test
  void trainsFromEveryKindOfLabelThroughTheJavaApi(@TempDir Path dir) throws IOException {
    FoamGenerator foam = new FoamGenerator(32, 32, FoamGenerator.Settings.defaults());
    List<LabeledImage> images = new ArrayList<>();
    Random rnd = new Random(3);
    for (int i = 0; i < 5; i++) {
      FoamImage f = foam.generate(i);
      LabelImage classes = Method.asClasses(f.instances(), 1);
      LabeledImage li = LabeledImage.of("f" + i, f.image());
      images.add(switch (i % 5) {
        case 0 -> li.withInstanceMask(f.instances());
        case 1 -> li.withPartial(LazyLabels.partialMask(f.instances(), null, rnd))
            .withScribbles(LazyLabels.scribbles(f.instances(), 1));
        case 2 -> li.withObjectSize(LazyLabels.size(classes));
        default -> li.withTags(LazyLabels.tags(classes, 1)[1]);
      });
    }
    TrainingSet set = TrainingSet.of(List.of("cell"), images);
    assertThat(Methods.defaultFor(set)).isEqualTo("lazy");
    TrainConfig tiny = TrainConfig.builder().setCrop(32).setBatch(4).setLearningRate(1e-3)
        .setEpochs(1).setStepsPerEpoch(3).optValidationTile(32).build();
    List<Float> losses = new ArrayList<>();
    TrainingResult r = Training.of("lazy").optConfig(tiny).optWidth(4).optDepth(2)
        .optThreads(1).addListener(new org.lazyseg.train.engine.TrainingListener() {
          @Override
          public void onStep(long step, float loss) {
            losses.add(loss);
          }
        }).run(set, "memory", dir.resolve("run"));
    assertThat(r.steps()).isEqualTo(3);
    assertThat(losses).hasSize(3).allMatch(Float::isFinite);
    // The default read-out is multitask's split: its seeds are settled after training on
    // the weak images' cores and recorded with the run; the model reads out with them.
    try (SegmentationModel model = SegmentationModel.open(dir.resolve("run"),
        SegmentationModel.Options.DEFAULT.withThreads(1))) {
      assertThat(model.method()).isEqualTo("lazy");
      assertThat(model.methodSettings()).containsKey("seed-threshold")
          .doesNotContainKey("prediction");
      assertThat(model.segment(images.get(0).image()).classes().width()).isEqualTo(32);
    }
    assertThat(dir.resolve("run").resolve("seed-threshold.json")).isRegularFile();
    // The plain read-out settles nothing.
    Training.of("lazy").optSetting("prediction", "segmentation").optConfig(tiny).optWidth(4)
        .optDepth(2).optThreads(1).run(set, "memory", dir.resolve("plain"));
    try (SegmentationModel model = SegmentationModel.open(dir.resolve("plain"),
        SegmentationModel.Options.DEFAULT.withThreads(1))) {
      assertThat(model.methodSettings()).containsEntry("prediction", "segmentation")
          .doesNotContainKey("seed-threshold");
      assertThat(model.segment(images.get(0).image()).classes().width()).isEqualTo(32);
    }
    assertThat(dir.resolve("plain").resolve("seed-threshold.json")).doesNotExist();
    assertThat(new MixedLabels().options()).doesNotContainKeys("prediction", "seed-threshold");
  }

  private static org.lazyseg.train.data.Example example(String id, int w, int h,
      boolean pixels, float... imageLabels) {
    LabelImage[] targets = new LabelImage[3];
    if (pixels) {
      targets[1] = new LabelImage(w, h);
    }
    return new org.lazyseg.train.data.Example(id, new FloatImage(w, h, 1), targets,
        imageLabels.length == 0 ? null : imageLabels);
  }

  /**
   * Images whose only labels hold for the whole image (a size, present tags) are left out of
   * the batches when no crop holds them whole; an absent tag, a pixel label or an image that
   * fits keeps an image in; full augmentation (every crop resampled) holds none whole.
   */
  @Test
  void imagesWhoseLabelsNoCropCanUseAreLeftOutOfTheBatches() {
    MixedLabels lazy = new MixedLabels();
    TrainConfig crop64 = TrainConfig.builder().setCrop(64).build();
    float nan = Float.NaN;
    var present = example("present", 100, 50, false, nan, 1);
    var absent = example("absent", 100, 50, false, nan, 0);
    var size = example("size", 50, 100, false, 300, nan);
    var fits = example("fits", 64, 40, false, nan, 1);
    var partial = example("partial", 100, 50, true, nan, 1);
    assertThat(lazy.learnsFrom(present, crop64)).isFalse();
    assertThat(lazy.learnsFrom(size, crop64)).isFalse();
    assertThat(lazy.learnsFrom(absent, crop64)).isTrue();
    assertThat(lazy.learnsFrom(fits, crop64)).isTrue();
    assertThat(lazy.learnsFrom(partial, crop64)).isTrue();
    TrainConfig full = crop64.toBuilder()
        .setAugmentation(org.lazyseg.train.data.Augmentation.full()).build();
    assertThat(lazy.learnsFrom(fits, full)).isFalse();
    assertThat(new Supervised().learnsFrom(present, crop64)).isTrue();

    List<String> notes = new ArrayList<>();
    List<org.lazyseg.train.data.Example> all = List.of(present, absent, size, fits, partial);
    assertThat(TrainingJob.drawnExamples(all, lazy, crop64, notes::add))
        .containsExactly(absent, fits, partial);
    assertThat(notes).singleElement().asString()
        .contains("2 of 5 training images", "crop 64 px", "-O crop=100");
    List<org.lazyseg.train.data.Example> usable = List.of(absent, partial);
    assertThat(TrainingJob.drawnExamples(usable, lazy, crop64, notes::add)).isSameAs(usable);
    assertThat(notes).hasSize(1);
    assertThatThrownBy(() -> TrainingJob.drawnExamples(List.of(present, size), lazy, crop64,
        notes::add)).isInstanceOf(org.lazyseg.core.data.DatasetException.class)
        .hasMessageContaining("nothing to learn from").hasMessageContaining("-O crop=100");
  }
}
