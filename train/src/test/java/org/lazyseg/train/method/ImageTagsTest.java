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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.DatasetException;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Augmentation;
import org.lazyseg.train.data.Batch;
import org.lazyseg.train.loss.Objective;
import org.lazyseg.train.engine.RoundOptimizer;
import org.lazyseg.train.engine.TrainingResult;
import org.lazyseg.train.nn.GlobalWeightedPooling;
import org.lazyseg.train.predict.Predictor;

class ImageTagsTest {
  @TempDir Path dir;

  // ---- objectives: autograd against finite differences of a plain-double reference ----

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** Foreground score of pixel i of image n in (N, 2, P) logits. */
  private static double score(double[] logits, int n, int i, int pixels) {
    return sigmoid(logits[(n * 2 + 1) * pixels + i] - logits[(n * 2) * pixels + i]);
  }

  /** BCE of the literal GWP formula, mean over images. */
  private static double referenceBce(double[] logits, float[] tags, int pixels, double r) {
    double loss = 0;
    for (int n = 0; n < tags.length; n++) {
      double num = 0, den = 0;
      for (int i = 0; i < pixels; i++) {
        double s = score(logits, n, i, pixels);
        double w = Math.exp(r * s) - 1 + GlobalWeightedPooling.EPS;
        num += w * s;
        den += w;
      }
      double p = num / den;
      loss -= tags[n] * Math.log(p) + (1 - tags[n]) * Math.log(1 - p);
    }
    return loss / tags.length;
  }

  /** Soft Dice of background and foreground over each image's labelled pixels, averaged. */
  private static double referenceDice(double[] logits, int[] target, int images, int pixels) {
    double loss = 0;
    int counted = 0;
    for (int n = 0; n < images; n++) {
      double[] overlap = new double[2], sum = new double[2];
      boolean any = false;
      for (int i = 0; i < pixels; i++) {
        int t = target[n * pixels + i];
        if (t != LabelImage.IGNORE) {
          double s = score(logits, n, i, pixels);
          overlap[1] += s * t;
          sum[1] += s + t;
          overlap[0] += (1 - s) * (1 - t);
          sum[0] += (1 - s) + (1 - t);
          any = true;
        }
      }
      if (any) {
        double fg = (2 * overlap[1] + 1) / (sum[1] + 1), bg = (2 * overlap[0] + 1) / (sum[0] + 1);
        loss += 1 - (fg + bg) / 2;
        counted++;
      }
    }
    return loss / counted;
  }

  /** Autograd gradient of the objective in {@code round} with respect to the logits. */
  private static float[] autograd(Objective objective, double[] logits, Batch batch, int round,
      float[] lossOut) {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] f = new float[logits.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) logits[i];
      }
      NDArray x = m.create(f, new Shape(batch.size(), 2, batch.crop(), batch.crop()));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = objective.loss(new NDList(x), batch, round);
        lossOut[0] = loss.getFloat();
        gc.backward(loss);
      }
      return x.getGradient().toFloatArray();
    }
  }

  private static void assertGradient(float[] grad, double[] logits,
      ToDoubleFunction<double[]> reference) {
    double h = 1e-4;
    for (int i = 0; i < logits.length; i++) {
      double[] plus = logits.clone(), minus = logits.clone();
      plus[i] += h;
      minus[i] -= h;
      double numeric = (reference.applyAsDouble(plus) - reference.applyAsDouble(minus)) / (2 * h);
      assertThat((double) grad[i]).as("d loss / d logit %d", i)
          .isCloseTo(numeric, within(2e-4 + 1e-3 * Math.abs(numeric)));
    }
  }

  private static double[] randomLogits(int n, long seed) {
    Random rng = new Random(seed);
    double[] l = new double[n];
    for (int i = 0; i < n; i++) {
      l[i] = 2 * rng.nextGaussian();
    }
    return l;
  }

  @Test
  void classificationObjectiveIsTheBinaryCrossEntropyOfThePooledMaps() {
    int images = 3, side = 4, pixels = side * side;
    float[] tags = {1, 0, 1};
    double r = 3;
    ImageTags method = ImageTags.create(Map.of("r", "3"));
    Objective objective = method.objective(method.tasks(1),
        method.adjust(TrainConfig.profile("quick").build()));
    Batch batch = new Batch(images, 1, side, new float[images * pixels],
        new int[][] {new int[images * pixels]}, tags);
    double[] logits = randomLogits(images * 2 * pixels, 11);
    float[] loss = new float[1];
    float[] grad = autograd(objective, logits, batch, 0, loss);
    assertThat((double) loss[0]).isCloseTo(referenceBce(logits, tags, pixels, r), within(1e-5));
    assertGradient(grad, logits, l -> referenceBce(l, tags, pixels, r));
  }

  @Test
  void imagesWithoutATagDropOutOfTheClassificationLoss() {
    int pixels = 4;
    ImageTags method = new ImageTags();
    Objective objective = method.objective(method.tasks(1),
        method.adjust(TrainConfig.profile("quick").build()));
    double[] logits = randomLogits(2 * 2 * pixels, 12);
    Batch both = new Batch(2, 1, 2, new float[8], new int[][] {new int[8]}, new float[] {1, Float.NaN});
    float[] loss = new float[1];
    float[] grad = autograd(objective, logits, both, 0, loss);
    double[] first = new double[2 * pixels];
    System.arraycopy(logits, 0, first, 0, first.length);
    assertThat((double) loss[0]).isCloseTo(
        referenceBce(first, new float[] {1}, pixels, 5), within(1e-5));
    for (int i = 2 * pixels; i < grad.length; i++) {
      assertThat(grad[i]).isZero();
    }
  }

  @Test
  void refinementObjectiveIsSoftDiceOfBothClassesPerImage() {
    int images = 3, side = 3, pixels = side * side;
    int I = LabelImage.IGNORE;
    int[] target = {1, 1, 0, 0, I, 0, 1, 0, 0,   // a positive
        0, 0, 0, 0, 0, 0, I, I, 0,                 // a negative
        I, I, I, I, I, I, I, I, I};                // no label: drops out
    ImageTags method = ImageTags.create(Map.of("dice-weight", "1"));
    TrainConfig oneRound = method.adjust(TrainConfig.builder().setEpochs(1).build());
    Objective objective = method.objective(method.tasks(1), oneRound); // 1 classification round
    Batch batch = new Batch(images, 1, side, new float[images * pixels], new int[][] {target},
        new float[] {1, 0, Float.NaN});
    double[] logits = randomLogits(images * 2 * pixels, 13);
    float[] loss = new float[1];
    float[] grad = autograd(objective, logits, batch, 1, loss);
    assertThat((double) loss[0]).isCloseTo(referenceDice(logits, target, images, pixels), within(1e-5));
    assertGradient(grad, logits, l -> referenceDice(l, target, images, pixels));
  }

  // ---- options and configuration ----

  @Test
  void optionsAreCheckedAndRoundTrip() {
    assertThatThrownBy(() -> Methods.create("tags", Map.of("lambda", "1")))
        .hasMessageContaining("no option 'lambda'").hasMessageContaining("pooling");
    assertThatThrownBy(() -> Methods.create("tags", Map.of("pooling", "gap", "r", "3")))
        .hasMessageContaining("r applies to pooling=gwp");
    assertThatThrownBy(() -> Methods.create("tags", Map.of("r", "x")))
        .hasMessageContaining("r must be a number");
    assertThatThrownBy(() -> Methods.create("tags", Map.of("pooling", "avg")))
        .hasMessageContaining("gwp or gap or gmp");
    ImageTags m = (ImageTags) Methods.create("tags",
        Map.of("r", "9", "refine", "3", "crop", "64"));
    assertThat(m.options()).containsEntry("pooling", "gwp").containsEntry("r", "9")
        .containsEntry("refine", "3").containsEntry("vote", "0.2").containsEntry("scale", "100")
        .containsEntry("crop", "64").containsEntry("dice-weight", "1")
        .containsEntry("refine-adam", "fresh").containsEntry("refine-lr", "0.1");
    ImageTags again = (ImageTags) Methods.create("tags", m.options());
    assertThat(again.options()).isEqualTo(m.options());
    assertThat(((ImageTags) Methods.create("tags", Map.of("pooling", "gmp"))).options())
        .doesNotContainKey("r");
  }

  @Test
  void refinementRoundsStartAdamAfreshAtATenthOfTheRate() {
    ImageTags m = ImageTags.create(Map.of());
    // 20 + 4 + 4 epochs: rounds 0-4, 5, 6
    TrainConfig standard = m.adjust(TrainConfig.profile("standard").build());
    assertThat(m.classificationRounds(standard)).isEqualTo(5);
    assertThat(m.roundOptimizer(4, standard)).isEqualTo(RoundOptimizer.SAME);
    assertThat(m.roundOptimizer(5, standard)).isEqualTo(new RoundOptimizer(0.1, true));
    assertThat(m.roundOptimizer(6, standard)).isEqualTo(new RoundOptimizer(0.1, true));
    ImageTags carry = ImageTags.create(Map.of("refine-adam", "carry", "refine-lr", "1"));
    assertThat(carry.roundOptimizer(5, carry.adjust(TrainConfig.profile("standard").build())))
        .isEqualTo(RoundOptimizer.SAME);
    assertThatThrownBy(() -> ImageTags.create(Map.of("refine-adam", "reset")))
        .hasMessage("method 'tags': refine-adam must be fresh or carry, not 'reset'");
    assertThatThrownBy(() -> ImageTags.create(Map.of("refine-lr", "0")))
        .hasMessage("method 'tags': refine-lr must be a number > 0, not '0'");
    assertThatThrownBy(() -> ImageTags.create(Map.of("refine", "2.7")))
        .as("a whole number is never truncated")
        .hasMessage("method 'tags': refine must be a whole number >= 0, not '2.7'");
  }

  @Test
  void oneIndependentTwoClassMapPerClass() {
    assertThat(new ImageTags().tasks(1)).hasSize(1).allMatch(t -> t.classes() == 2);
    assertThat(new ImageTags().tasks(3)).hasSize(3).allMatch(t -> t.classes() == 2);
  }

  @Test
  void adjustKeepsWholeImagesAndSplitsEpochsIntoStagesLikeThePaper() {
    for (String profile : new String[] {"quick", "standard", "paper"}) {
      TrainConfig given = TrainConfig.profile(profile).build();
      ImageTags m = new ImageTags();
      TrainConfig c = m.adjust(given);
      int perRound = given.epochs() / 5;
      assertThat(c.epochsPerRound()).as(profile).isEqualTo(perRound);
      assertThat(m.classificationRounds(c)).isEqualTo(5);
      assertThat(c.rounds()).isEqualTo(7);
      assertThat(c.crop()).isEqualTo(given.crop());
      Augmentation a = c.augmentation();
      assertThat(a.maxRotationDegrees()).isZero();
      assertThat(a.minScale()).isEqualTo(1);
      assertThat(a.maxScale()).isEqualTo(1);
    }
    // -O crop=S trains on S x S crops; a budget stays as given: classification and
    // refinement share it (docs/methods.md, Time budgets).
    TrainConfig quick = ImageTags.create(Map.of("crop", "64"))
        .adjust(TrainConfig.profile("quick").build());
    assertThat(quick.crop()).isEqualTo(64);
    assertThat(quick.budgetMinutes()).isCloseTo(4.0, within(1e-9));
  }

  // ---- training on a tiny synthetic dataset ----

  /**
   * SIDE x SIDE grey noise; positive images hold one bright disc of radius 3 to 5, negatives
   * none. Every image has a mask (the method must not use those of the training images);
   * training images have tags.
   */
  private static final int SIDE = 40;

  private Path writeDataset(int train, int test) throws IOException {
    Path data = dir.resolve("data");
    Random rng = new Random(5);
    StringBuilder tags = new StringBuilder("id,cell\n");
    StringBuilder split = new StringBuilder("id,split\n");
    for (int n = 0; n < train + test; n++) {
      String id = String.format("img%03d", n);
      boolean positive = n % 2 == 0;
      FloatImage image = new FloatImage(SIDE, SIDE, 1);
      LabelImage mask = new LabelImage(SIDE, SIDE);
      double cx = 6 + rng.nextDouble() * (SIDE - 12), cy = 6 + rng.nextDouble() * (SIDE - 12);
      double radius = 3 + rng.nextDouble() * 2;
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          boolean inside = positive
              && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius;
          mask.set(x, y, inside ? 1 : 0);
          image.set(0, x, y, (float) ((inside ? 0.75 : 0.3) + 0.08 * rng.nextGaussian()));
        }
      }
      ImageFiles.writeImage(image, data.resolve("images/" + id + ".png"), false);
      ImageFiles.writeLabels(mask, data.resolve("masks/" + id + ".png"));
      if (n < train) {
        tags.append(id).append(',').append(positive ? 1 : 0).append('\n');
      } else {
        split.append(id).append(",test\n");
      }
    }
    Files.writeString(data.resolve("tags.csv"), tags);
    Files.writeString(data.resolve("split.csv"), split);
    return data;
  }

  @Test
  void aStageVotedAgainAfterAKillHasOneRow() {
    String header = "stage,positive_maps,voted_nonempty,raw_share,voted_share";
    List<String> before = List.of(header, "1,5,4,0.1,0.2", "2,5,5,0.3,0.4");
    assertThat(ImageTags.withVote(before, 2, "2,6,6,0.5,0.6\n")).isEqualTo(header
        + "\n1,5,4,0.1,0.2\n2,6,6,0.5,0.6\n");
    assertThat(ImageTags.withVote(List.of(), 1, "1,1,1,0.1,0.1\n"))
        .isEqualTo(header + "\n1,1,1,0.1,0.1\n");
  }

  @Test
  void tagsAloneMakeTheMapsLightUpOnTheObjects() throws IOException {
    Dataset data = Dataset.open(writeDataset(32, 8));
    ImageTags method = (ImageTags) Methods.create("tags", Map.of("r", "5", "refine", "1"));
    TrainConfig config = TrainConfig.builder().setCrop(SIDE).setBatch(6).setLearningRate(3e-3)
        .setEpochs(5).setStepsPerEpoch(12).optThreads(1).optSeed(3).build();
    TrainingJob job = new TrainingJob(data, method,
        new TrainingData.Selection("train", 1.0, 0.1, 0), config).optWidth(8).optDepth(2);
    TrainingData td = job.load(ProgressCallback.NONE);
    // Images held out for validation are trained on: the method cannot validate on masks.
    assertThat(td.train()).hasSize(32);
    assertThat(td.validation()).isEmpty();
    assertThat(td.train()).allSatisfy(e -> assertThat(e.targets()).containsOnlyNulls());
    Path run = dir.resolve("run");
    TrainingResult result = job.run(run, td);
    assertThat(result.epochs()).isEqualTo(6); // 5 classification + 1 refinement

    assertThat(method.checkpointOfStage(run, 0)).isEqualTo("stage0");
    assertThat(method.checkpointOfStage(run, 1)).isEqualTo(RunFolder.LAST);
    assertThat(Files.readAllLines(run.resolve(ImageTags.REFINEMENT_FILE))).hasSize(2);
    assertThat(run.resolve("checkpoints/stage0/" + RunFolder.OPTIMIZER)).doesNotExist();
    ImageTags rebuilt = (ImageTags) Methods.ofRun(run);
    assertThat(rebuilt.options()).isEqualTo(method.options());

    for (String checkpoint : new String[] {"stage0", RunFolder.LAST}) {
      try (Predictor p = Predictor.open(run, checkpoint)) {
        TagsEvaluation.Scores s = TagsEvaluation.evaluate(p, rebuilt, data.samples("test"),
            null);
        assertThat(s.images()).isEqualTo(8);
        assertThat(s.withObjects()).isEqualTo(4);
        double[] light = lightInsideOutsideAndOnNegatives(p, data);
        assertThat(s.accuracy()).as(checkpoint).isGreaterThanOrEqualTo(0.875);
        assertThat(light[0]).as("%s: mean map on the objects", checkpoint).isGreaterThan(0.7);
        assertThat(light[1]).as("%s: mean map beside them", checkpoint).isLessThan(0.45);
        assertThat(light[2]).as("%s: mean map on negatives", checkpoint).isLessThan(0.2);
      }
    }
  }

  /** Mean map value on the objects and off them in positive test images, and on negatives. */
  private static double[] lightInsideOutsideAndOnNegatives(Predictor p, Dataset data) {
    double[] sum = new double[3];
    long[] count = new long[3];
    for (var s : data.samples("test")) {
      float[] map = ImageTags.maps(p, s.loadImage())[0];
      int[] truth = s.loadClasses().data();
      boolean positive = s.loadClasses().max() > 0;
      for (int i = 0; i < map.length; i++) {
        int k = !positive ? 2 : truth[i] > 0 ? 0 : 1;
        sum[k] += map[i];
        count[k]++;
      }
    }
    return new double[] {sum[0] / count[0], sum[1] / count[1], sum[2] / count[2]};
  }

  @Test
  void imagesLargerThanTheCropAreRefused() throws IOException {
    Dataset data = Dataset.open(writeDataset(4, 0));
    TrainConfig config = TrainConfig.builder().setCrop(24).setEpochs(1).setStepsPerEpoch(1)
        .optThreads(1).build();
    TrainingJob job = new TrainingJob(data, new ImageTags(),
        new TrainingData.Selection("train", 0, 0.1, 0), config).optWidth(4).optDepth(2);
    TrainingData td = job.load(ProgressCallback.NONE);
    assertThatThrownBy(() -> job.run(dir.resolve("run"), td))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("larger than the training crop 24")
        .hasMessageContaining("lazyseg patches --size 24");
  }
}
