package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;
import org.lazyseg.core.measure.PixelMeasures;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.engine.EpochStats;
import org.lazyseg.train.engine.TrainingListener;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;
import org.lazyseg.train.testing.DiscDatasets;

class RecursiveApproximationTest {
  @TempDir Path dir;

  private static LabelImage disc(int size, double cx, double cy, double r) {
    LabelImage l = new LabelImage(size, size);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
          l.set(x, y, 1);
        }
      }
    }
    return l;
  }

  private static LabelImage union(LabelImage a, LabelImage b) {
    LabelImage u = a.copy();
    for (int i = 0; i < u.data().length; i++) {
      u.data()[i] = Math.max(u.data()[i], b.data()[i]) > 0 ? 1 : 0;
    }
    return u;
  }

  private static int area(LabelImage l) {
    int n = 0;
    for (int v : l.data()) {
      n += v > 0 ? 1 : 0;
    }
    return n;
  }

  private static boolean contains(LabelImage outer, LabelImage inner) {
    for (int i = 0; i < inner.data().length; i++) {
      if (inner.data()[i] > 0 && outer.data()[i] <= 0) {
        return false;
      }
    }
    return true;
  }

  @Test
  void relabellingGrowsMonotonicallyTowardsThePredictedRegion() {
    int n = 90;
    LabelImage object = disc(n, 45, 45, 25);
    LabelImage stray = disc(n, 8, 8, 4);          // predicted by both heads, never annotated
    LabelImage foreground = union(object, stray);
    LabelImage original = disc(n, 45, 45, 5);
    LabelImage predicted = union(disc(n, 45, 45, 7), stray);

    LabelImage current = original;
    double lambda = 0.5;
    // One step from A = the label alone: a disc of radius (R0 + lambda R) / (1 + lambda).
    LabelImage once = RecursiveApproximation.relabel(current, new LabelImage(n, n), object,
        lambda, original);
    assertThat(area(once)).isCloseTo((int) (Math.PI * Math.pow((5 + lambda * 25) / 1.5, 2)),
        within(60));

    double previousDice = PixelMeasures.dice(object, current);
    for (int round = 0; round < 6; round++) {
      LabelImage next = RecursiveApproximation.relabel(current, predicted, foreground, lambda,
          original);
      assertThat(contains(next, current)).as("round %d keeps its label", round).isTrue();
      assertThat(area(next)).as("round %d grows", round).isGreaterThan(area(current));
      assertThat(contains(union(object, original), next)).as("stays inside S").isTrue();
      assertThat(next.get(8, 8)).as("no new object where nothing was annotated").isZero();
      double dice = PixelMeasures.dice(object, next);
      assertThat(dice).isGreaterThan(previousDice);
      previousDice = dice;
      current = next;
    }
    assertThat(previousDice).isGreaterThan(0.9);
  }

  @Test
  void relabellingKeepsTwoAnnotatedObjectsApartInOnePredictedBlob() {
    int n = 80;
    LabelImage blob = union(disc(n, 25, 40, 16), disc(n, 55, 40, 16));   // touching
    LabelImage original = union(disc(n, 25, 40, 4), disc(n, 55, 40, 4));
    LabelImage grown = RecursiveApproximation.relabel(original, new LabelImage(n, n), blob,
        Double.POSITIVE_INFINITY, original);
    assertThat(grown.get(25, 40)).isEqualTo(1);
    assertThat(grown.get(40, 40)).as("midway pixels go to nobody").isZero();
    assertThat(grown.get(33, 40)).isEqualTo(1);
    assertThat(grown.get(47, 40)).isEqualTo(1);
  }

  @Test
  void islandsOfOneAnnotatedObjectGrowAsOneWhenItsIdIsKnown() {
    int n = 80;
    LabelImage gland = disc(n, 40, 40, 30);
    LabelImage islands = union(disc(n, 28, 40, 4), disc(n, 52, 40, 4));   // one object's core
    LabelImage ids = islands.copy();
    LabelImage other = disc(n, 70, 10, 3);                                  // object 2
    LabelImage original = union(islands, other);
    for (int i = 0; i < ids.data().length; i++) {
      ids.data()[i] = islands.data()[i] > 0 ? 1 : other.data()[i] > 0 ? 2 : 0;
    }
    LabelImage s = union(gland, disc(n, 70, 10, 6));
    LabelImage asComponents = RecursiveApproximation.relabel(original, new LabelImage(n, n), s,
        Double.POSITIVE_INFINITY, original);
    LabelImage asObjects = RecursiveApproximation.relabel(original, new LabelImage(n, n), s,
        Double.POSITIVE_INFINITY, original, ids);
    assertThat(asComponents.get(40, 40)).as("islands as two seeds: a midway gap").isZero();
    assertThat(asObjects.get(40, 40)).as("one object: no gap").isEqualTo(1);
    assertThat(area(asObjects)).isEqualTo(area(s));
  }

  @Test
  void predictionGrowsMoreWithTheLargerLambda() {
    int n = 64;
    float[][] segmentation = probabilities(disc(n, 32, 32, 20));
    float[][] approximation = probabilities(disc(n, 32, 32, 8));
    int[] areas = new int[3];
    double[] lambdas = {0.1, 1.0, Double.POSITIVE_INFINITY};
    for (int k = 0; k < 3; k++) {
      Segmentation s = RecursiveApproximation.grow(segmentation, approximation, null, n, n,
          lambdas[k]);
      areas[k] = area(s.classes());
      assertThat(s.instances().max()).isEqualTo(1);
    }
    assertThat(areas[0]).isGreaterThan(area(disc(n, 32, 32, 8)));
    assertThat(areas[1]).isGreaterThan(areas[0]);
    assertThat(areas[2]).isGreaterThan(areas[1]).isEqualTo(area(disc(n, 32, 32, 20)));
    // An object of S without an approximation: dropped, or kept with "grow-keep".
    float[][] twoObjects = probabilities(union(disc(n, 32, 32, 20), disc(n, 58, 6, 4)));
    assertThat(RecursiveApproximation.grow(twoObjects, approximation, null, n, n, 1.0)
        .classes().get(58, 6)).isZero();
    Segmentation kept = RecursiveApproximation.grow(twoObjects, approximation, null, n, n,
        1.0, true);
    assertThat(kept.classes().get(58, 6)).isEqualTo(1);
    assertThat(kept.instances().max()).isEqualTo(2);
    // An interface the separation head sees splits the foreground.
    float[][] separation = new float[2][n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        separation[1][y * n + x] = x == 45 ? 0.9f : 0.1f;
        separation[0][y * n + x] = 1 - separation[1][y * n + x];
      }
    }
    Segmentation cut = RecursiveApproximation.grow(segmentation, approximation, separation, n,
        n, Double.POSITIVE_INFINITY);
    assertThat(cut.classes().get(48, 32)).isZero();
  }

  private static float[][] probabilities(LabelImage l) {
    float[][] p = new float[2][l.data().length];
    for (int i = 0; i < p[0].length; i++) {
      p[1][i] = l.data()[i] > 0 ? 0.9f : 0.1f;
      p[0][i] = 1 - p[1][i];
    }
    return p;
  }

  @Test
  void confidentSeedsKeepTwoBridgedObjectsApart() {
    int n = 64;
    // S: two discs joined by a bridge; the approximation is fairly sure (0.7) of all of S and
    // very sure (0.99) of the two centres only.
    LabelImage s = union(disc(n, 18, 32, 10), disc(n, 46, 32, 10));
    for (int y = 30; y < 35; y++) {
      for (int x = 18; x < 46; x++) {
        s.set(x, y, 1);
      }
    }
    float[][] segmentation = probabilities(s);
    LabelImage centres = union(disc(n, 18, 32, 4), disc(n, 46, 32, 4));
    float[][] approximation = new float[2][n * n];
    for (int i = 0; i < n * n; i++) {
      approximation[1][i] = centres.data()[i] > 0 ? 0.99f : s.data()[i] > 0 ? 0.7f : 0.05f;
      approximation[0][i] = 1 - approximation[1][i];
    }
    double inf = Double.POSITIVE_INFINITY;
    Segmentation argmax = RecursiveApproximation.grow(segmentation, approximation, null, n, n,
        inf, false, Double.NaN, 0);
    Segmentation confident = RecursiveApproximation.grow(segmentation, approximation, null, n,
        n, inf, false, 0.9, 0);
    assertThat(argmax.instances().max()).as("argmax seeds: one bridged object").isEqualTo(1);
    assertThat(confident.instances().max()).isEqualTo(2);
    assertThat(confident.instances().get(18, 32)).isNotEqualTo(confident.instances().get(46, 32));
    assertThat(confident.classes().get(32, 32)).as("the midway pixels are no object").isZero();
    assertThat(confident.classes().get(10, 32)).as("grown to the rim of S").isEqualTo(1);

    // The annotated cores (one per disc) pair off with the confident objects only.
    LabelImage cores = Components.label(centres, Connectivity.EIGHT);
    assertThat(SeedThreshold.agreement(argmax.instances(), cores).f1()).isZero();
    assertThat(SeedThreshold.agreement(confident.instances(), cores).f1()).isEqualTo(1.0);
    assertThat(SeedThreshold.agreement(confident.instances(), cores).coreDice()).isEqualTo(1.0);
    assertThat(SeedThreshold.agreement(argmax.instances(), cores).coreDice())
        .as("two cores in one object").isLessThan(0.7);

    // A stray sure speck on the bridge seeds an object of its own, unless under min-seed.
    for (int y = 31; y < 33; y++) {
      for (int x = 31; x < 33; x++) {
        approximation[1][y * n + x] = 0.99f;
        approximation[0][y * n + x] = 0.01f;
      }
    }
    assertThat(RecursiveApproximation.grow(segmentation, approximation, null, n, n, inf, false,
        0.9, 0).instances().max()).isEqualTo(3);
    assertThat(RecursiveApproximation.grow(segmentation, approximation, null, n, n, inf, false,
        0.9, 10).instances().max()).isEqualTo(2);
  }

  @Test
  void optionsAreParsedCheckedAndRecorded() {
    RecursiveApproximation m = (RecursiveApproximation) Methods.create("recursive",
        Map.of("rounds", "4", "lambda", "0.3", "lambda-pred", "inf", "prediction", "grow-keep"));
    assertThat(m.values().rounds()).isEqualTo(4);
    assertThat(m.values().lambdaPred()).isInfinite();
    assertThat(m.values().prediction()).isEqualTo("grow-keep");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("prediction", "x")))
        .hasMessageContaining("grow-keep");
    assertThat(Methods.create("recursive", m.options()).options()).isEqualTo(m.options());
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("lamda", "1")))
        .hasMessageContaining("lamda").hasMessageContaining("lambda-pred");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("lambda", "-1")))
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("rounds", "x")))
        .hasMessageContaining("whole number");
    // strong-share reaches the batches, and is recorded only where it is not the default.
    assertThat(m.options()).doesNotContainKey("strong-share");
    assertThat(m.adjust(TrainConfig.profile("quick").build()).strongShare()).isZero();
    Method shared = Methods.create("recursive", Map.of("strong-share", "0.5"));
    assertThat(shared.adjust(TrainConfig.profile("quick").build()).strongShare())
        .isEqualTo(0.5);
    assertThat(Methods.create("recursive", shared.options()).options())
        .containsEntry("strong-share", "0.5");
    // seed-threshold: auto (NaN until settled after training) or a number in (0, 1)
    assertThat(m.values().seedThreshold()).isNaN();
    assertThat(m.options()).containsEntry("seed-threshold", "auto");
    RecursiveApproximation settled = (RecursiveApproximation) Methods.create("recursive",
        Map.of("seed-threshold", "0.95"));
    assertThat(settled.values().seedThreshold()).isEqualTo(0.95);
    assertThat(Methods.create("recursive", settled.options()).options())
        .containsEntry("seed-threshold", "0.95");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("seed-threshold", "1")))
        .hasMessageContaining("seed-threshold").hasMessageContaining("(0, 1)");
    assertThat(m.options()).doesNotContainKey("min-seed");
    assertThat(Methods.create("recursive", Map.of("min-seed", "40")).options())
        .containsEntry("min-seed", "40");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("min-seed", "-1")))
        .hasMessageContaining("min-seed");
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("strong-share", "2")))
        .hasMessageContaining("strong-share").hasMessageContaining("[0, 1]");
  }

  @Test
  void roundsSplitTheProfilesStepsUnlessGiven() {
    TrainConfig quick = TrainConfig.profile("quick").build();          // 5 x 100 steps
    TrainConfig a = new RecursiveApproximation().adjust(quick);
    assertThat(a.rounds()).isEqualTo(10);
    assertThat(a.epochsPerRound() * a.stepsPerEpoch() * a.rounds()).isEqualTo(500);
    TrainConfig paper = TrainConfig.profile("paper").build();          // 100 x 100 steps
    TrainConfig b = new RecursiveApproximation().adjust(paper);
    assertThat(b.epochsPerRound()).isEqualTo(10);
    TrainConfig c = Methods.create("recursive", Map.of("rounds", "3", "steps-per-round", "7"))
        .adjust(paper);
    assertThat(List.of(c.rounds(), c.epochsPerRound(), c.stepsPerEpoch()))
        .containsExactly(3, 1, 7);
  }

  // ---- training on synthetic discs ----

  private static TrainConfig tinyConfig() {
    return TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(1e-2)
        .setStepsPerEpoch(4).optThreads(1).optSeed(3).build();
  }

  private TrainingJob job(Path data, Map<String, String> options) {
    return new TrainingJob(Dataset.open(data), Methods.create("recursive", options),
        new TrainingData.Selection("train", 0.25, 0, 0), tinyConfig()).optWidth(4).optDepth(3);
  }

  @Test
  void theHookWritesEveryRoundAndAResumeReadsItsLabelsBack() throws IOException {
    Path data = DiscDatasets.write(dir.resolve("data"), 8, 48, 11);
    Path run = dir.resolve("run");
    Map<String, String> options = Map.of("rounds", "3", "epochs-per-round", "2",
        "overlays", "1");
    // Killed at the end of epoch 3: in round 1, whose labels round 0's hook wrote.
    TrainingJob first = job(data, options).addListener(new TrainingListener() {
      @Override
      public void onEpochEnd(EpochStats s) {
        if (s.epoch() == 3) {
          throw new IllegalStateException("killed");
        }
      }
    });
    assertThatThrownBy(() -> first.run(run, first.load(ProgressCallback.NONE)))
        .hasMessageContaining("killed");
    Path round1 = Rounds.roundDir(run, 1);
    assertThat(round1.resolve(Rounds.DICE_FILE)).isRegularFile();
    assertThat(Rounds.roundDir(run, 2)).doesNotExist();
    Map<String, byte[]> written = new HashMap<>();
    List<String> weak;
    try (var files = Files.list(round1)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".png")).toList()) {
        written.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    assertThat(written).hasSize(6);                      // 8 images, 2 strong
    assertThat(run.resolve(Rounds.CSV)).isRegularFile();
    assertThat(Files.readAllLines(run.resolve(Rounds.CSV))).hasSize(3);   // header, 0, 1
    assertThat(run.resolve(Rounds.PLOT)).isRegularFile();
    assertThat(run.resolve("rounds/evolution")).isDirectoryContaining("glob:**.png");

    // What the engine does on resume: the hook for round 0 again, with the restored network.
    // The complete round folder is read back: the labels are exactly those trained on.
    RecursiveApproximation method = (RecursiveApproximation) Methods.create("recursive", options);
    TrainingJob again = new TrainingJob(Dataset.open(data), method,
        new TrainingData.Selection("train", 0.25, 0, 0), tinyConfig());
    TrainingData td = again.load(ProgressCallback.NONE);
    Rounds hook = (Rounds) method.roundHook(td, run, again.config());
    weak = hook.weakIds();
    hook.afterRound(0, null, td.train());   // no prediction needed: it reads the files
    for (Example e : td.train()) {
      if (weak.contains(e.id())) {
        assertThat(e.targets()[1].data()).isEqualTo(
            ImageFiles.readLabels(round1.resolve(e.id() + ".png")).data());
      }
    }

    // The resumed run finishes; round 1's files are untouched, round 2 appears.
    TrainingJob resumed = job(data, options);
    assertThat(resumed.run(run, resumed.load(ProgressCallback.NONE)).epochs()).isEqualTo(6);
    for (Map.Entry<String, byte[]> f : written.entrySet()) {
      assertThat(Files.readAllBytes(round1.resolve(f.getKey()))).isEqualTo(f.getValue());
    }
    assertThat(Rounds.roundDir(run, 2).resolve(Rounds.DICE_FILE)).isRegularFile();
    assertThat(hook.rows()).extracting(Rounds.Row::round).containsExactly(0, 1, 2);
    assertThat(hook.rows()).allMatch(r -> r.images() == 6 && r.meanDice() != null);
  }

  @Test
  void farBackgroundGivesWeakImagesASegmentationTargetWithTheirBoundaryUnlabelled(
      @TempDir Path dir) {
    Dataset data = Dataset.open(org.lazyseg.train.testing.DiscDatasets.write(dir, 2, 96, 3));
    Method far = Methods.create("recursive", Map.of("far-background", "3"));
    assertThat(far.options()).containsEntry("far-background", "3.0");
    assertThat(Methods.create("recursive", far.options()).options()).isEqualTo(far.options());
    assertThat(new RecursiveApproximation().options()).doesNotContainKey("far-background");
    for (org.lazyseg.core.data.Sample s : data.samples()) {
      LabelImage[] weak = far.targets(s.labeled().withoutMask(), 1);
      LabelImage[] plain = new RecursiveApproximation().targets(s.labeled().withoutMask(), 1);
      assertThat(plain[0]).isNull();
      assertThat(weak[1].data()).as("the approximation target is unchanged")
          .isEqualTo(plain[1].data());
      assertThat(weak[0].data()).contains(LabelImage.IGNORE, 0, 1);
      assertThat(far.targets(s.labeled(), 1)[0].data()).isEqualTo(s.loadClasses().data());
    }
    assertThatThrownBy(() -> Methods.create("recursive", Map.of("far-background", "-2")))
        .hasMessageContaining("far-background must be a number >= 0, not '-2'");
  }
}
