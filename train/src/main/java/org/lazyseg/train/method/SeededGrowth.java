package org.lazyseg.train.method;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.BiPredicate;
import java.util.function.IntConsumer;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.LevelSetGrowth;
import org.lazyseg.core.weak.RecursiveGrowth;
import org.lazyseg.core.weak.SeedThreshold;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.engine.TimeBudget;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * The "grow" read-out shared by the methods whose network has a head of object cores beside
 * the segmentation head (recursive: its approximation head; multi-task: its detection head,
 * which learns the partial masks): seeds where the core head is sure, grown inside the
 * segmentation head's foreground S (minus the separation head's interfaces) with
 * {@code lambda}. Instances are the grown objects, so neighbours whose cores are apart stay
 * apart even where S joins them, and pieces of S that hold no seed (speckle) are dropped, or,
 * with {@code keepUnseeded}, kept as objects of their own. With an infinite {@code lambda}
 * the objects then get back the foreground left between them ({@link #givesBack}).
 *
 * @param seedHead the task name of the core head
 * @param lambda growth speed ({@link LevelSetGrowth}; infinity: each seed takes the part of
 *     S nearest to it)
 * @param keepUnseeded keep S's components that no seed reaches
 * @param seedThreshold seeds where the core head's foreground probability exceeds this; NaN:
 *     its argmax
 * @param minSeed seeds (8-connected) of fewer pixels are dropped
 */
public record SeededGrowth(String seedHead, double lambda, boolean keepUnseeded, double seedThreshold,
    int minSeed) {

  /** Where {@link #settle} records its choice. */
  static final String SEED_THRESHOLD_FILE = "seed-threshold.json";

  /**
   * The heads to predict: segmentation, the core head unless it is the segmentation head
   * itself (split: asked once, see {@link #roles}), and the separation head where the network
   * has one.
   */
  int[] heads(List<Task> tasks) {
    int core = ModelSpec.headOf(tasks, seedHead);
    int separation = ModelSpec.headOf(tasks, LazyMultiTask.SEPARATION);
    java.util.stream.IntStream.Builder b = java.util.stream.IntStream.builder()
        .add(RecursiveApproximation.SEGMENTATION_HEAD);
    if (core != RecursiveApproximation.SEGMENTATION_HEAD) {
      b.add(core);
    }
    if (separation >= 0) {
      b.add(separation);
    }
    return b.build().toArray();
  }

  /**
   * The planes of {@link #heads} as {segmentation, core, separation or null}: the core's
   * are the segmentation's own when the seeds come from the segmentation head.
   */
  private float[][][] roles(float[][][] p) {
    boolean ownSeeds = seedHead.equals(Supervised.SEGMENTATION);
    int separation = ownSeeds ? 1 : 2;
    return new float[][][] {p[0], ownSeeds ? p[0] : p[1],
        p.length > separation ? p[separation] : null};
  }

  /** Whether the network has the core head this read-out needs. */
  boolean applies(Predictor predictor) {
    return predictor.spec().headOf(seedHead) >= 0;
  }

  /** The whole image at once; probabilities are the segmentation head's. */
  Segmentation segment(Predictor predictor, FloatImage image) {
    int[] heads = heads(predictor.spec().tasks());
    float[][][] p = predictor.probabilities(image, heads);
    return grow(p, image.width(), image.height(), seedThreshold, minSeed, givesBack());
  }

  /**
   * Whether the grown objects get back the foreground pixels left between them
   * ({@link RecursiveGrowth#giveBack}): with an infinite growth speed, where each seed is to
   * take all of S nearest to it; a finite speed asks for objects that stop short of S. Chosen
   * on training images the networks never saw (BENCHMARKS.md, "Giving back the pixels between
   * objects"): on DSB2018, where the separation head cuts touching nuclei apart, the bands
   * and interfaces left to nobody cost pixel Dice; on GlaS it changed next to nothing.
   */
  boolean givesBack() {
    return lambda == Double.POSITIVE_INFINITY;
  }

  private Segmentation grow(float[][][] planes, int w, int h, double threshold, int least,
      boolean giveBack) {
    float[][][] p = roles(planes);
    LabelImage fg = new LabelImage(w, h), seeds = new LabelImage(w, h);
    LabelImage argmax = keepUnseeded || giveBack ? new LabelImage(w, h) : null;
    RecursiveGrowth.labelPixels(p[0], p[1], p[2], w * h, 0, threshold, fg, seeds, argmax);
    LevelSetGrowth.Grown g = grown(fg, seeds, argmax, least, giveBack);
    return new Segmentation(g.classes(), g.instances(), p[0]);
  }

  /** The growth of S from the seeds, then the pixels given back when asked. */
  private LevelSetGrowth.Grown grown(LabelImage fg, LabelImage seeds, LabelImage argmax,
      int least, boolean giveBack) {
    LevelSetGrowth.Grown g = RecursiveGrowth.grow(fg, seeds, keepUnseeded ? argmax : null,
        lambda, least);
    if (giveBack) {
      RecursiveGrowth.giveBack(g, argmax);
    }
    return g;
  }

  /**
   * The same, band by band: S, the seeds (and to keep unseeded pieces the segmentation
   * head's classes) are decided pixel by pixel as the rows come; the growth then needs those
   * label images of the whole image (see
   * {@link RecursiveGrowth#grow(LabelImage, LabelImage, LabelImage, double, int)}).
   */
  Segmentation segmentInBands(Predictor predictor, FloatImage image, float[] foreground) {
    int[] heads = heads(predictor.spec().tasks());
    int w = image.width(), h = image.height();
    LabelImage fg = new LabelImage(w, h), seeds = new LabelImage(w, h);
    LabelImage argmax = keepUnseeded || givesBack() ? new LabelImage(w, h) : null;
    predictor.stream(image, (y0, rows, planes) -> {
      int count = rows * w, offset = y0 * w;
      float[][][] p = roles(planes);
      RecursiveGrowth.labelPixels(p[0], p[1], p[2], count, offset, seedThreshold, fg, seeds,
          argmax);
      Bands.foregroundOf(p[0][0], count, offset, foreground);
    }, heads);
    LevelSetGrowth.Grown g = grown(fg, seeds, argmax, minSeed, givesBack());
    return new Segmentation(g.classes(), g.instances(), null);
  }

  /**
   * The share of a time-limited run's time that the seed search after training gets
   * ({@link Method#afterTrainingShare}); it stops sooner when its images are done, and the
   * training loop leaves it this much.
   */
  static final double SEARCH_SHARE = 0.1;

  /**
   * Chooses the seed threshold and least seed area ({@link SeedThreshold}) on the weakly
   * labelled training images of {@code data} with nothing but their partial masks: the first
   * {@link SeedThreshold#MAX_IMAGES} by id are segmented with the run's best checkpoint and
   * every candidate's objects compared with the annotated cores. Within a time limit each
   * candidate's growth starts only while it is expected to end before {@code budget} does
   * (the longest so far tells); an image counts once all candidates are scored on it, so a
   * short budget chooses on fewer images, and on none (null, the method keeps its unsettled
   * read-out) when not one image fits;
   * {@code notes} hears of it. Writes RUN/{@value #SEED_THRESHOLD_FILE} with every
   * candidate's agreement and returns the chosen candidate; null without weak images.
   */
  static SeedThreshold.Candidate settle(Path runDir, TrainingData data, String seedHead,
      double lambda, boolean keepUnseeded, TimeBudget budget, Consumer<String> notes)
      throws IOException {
    Map<String, LabeledImage> weakSamples = weakImages(data);
    List<Example> weak = new ArrayList<>();
    for (Example e : data.train()) {
      if (weakSamples.containsKey(e.id())) {
        weak.add(e);
      }
    }
    weak.sort(java.util.Comparator.comparing(Example::id));
    if (weak.isEmpty()) {
      return null;
    }
    weak = weak.subList(0, Math.min(weak.size(), SeedThreshold.MAX_IMAGES));
    List<SeedThreshold.Candidate> candidates;
    int[] scored = {0};
    long[] longest = {0};
    long started = budget.now();
    try (Predictor predictor = Predictor.open(runDir, RunFolder.BEST)) {
      predictor.setTileSize(Math.max(predictor.tileSize(), Rounds.RELABEL_TILE));
      int classes = predictor.spec().tasks().get(RecursiveApproximation.SEGMENTATION_HEAD)
          .classes() - 1;
      List<LabelImage> cores = new ArrayList<>();
      List<FloatImage> images = new ArrayList<>();
      for (Example e : weak) {
        cores.add(SeedThreshold.cores(weakSamples.get(e.id()).partial().orElseThrow(), classes));
        images.add(e.image());
      }
      SeededGrowth probe = new SeededGrowth(seedHead, lambda, keepUnseeded, Double.NaN, 0);
      long[] last = {budget.now()};
      int count = SeedThreshold.candidates(cores).size();
      long[] ownLongest = new long[count];   // each candidate's longest growth so far
      candidates = probe.score(predictor, images, cores, (n, k) -> {
        long now = budget.now();
        if (n > 0 || k > 0) {
          int before = k > 0 ? k - 1 : count - 1;
          ownLongest[before] = Math.max(ownLongest[before], now - last[0]);
          longest[0] = Math.max(longest[0], now - last[0]);
        }
        last[0] = now;
        // Growth times differ much between candidates: the longer of this one's own so far
        // (twice, as another image may be harder) and any candidate's.
        long expected = Math.max(longest[0], 2 * ownLongest[k]);
        return !budget.limited() || budget.end() - now > expected;
      }, n -> scored[0] = n);
    }
    double seconds = (budget.now() - started) / 1e9;
    SeedThreshold.Candidate best = scored[0] == 0 ? null : SeedThreshold.best(candidates);
    if (scored[0] < weak.size()) {
      notes.accept(String.format(java.util.Locale.ROOT, scored[0] == 0
          ? "seed search skipped: not one image fitted in the time budget (the read-out"
              + " keeps its unsettled seeds)"
          : "seed search on %d of %d images in %.0f s: the time budget allowed no more",
          scored[0], weak.size(), seconds));
    }
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("images", scored[0]);
    record.put("imagesWanted", weak.size());
    record.put("seconds", seconds);
    record.put("criterion", "core object Dice");
    record.put("chosen", best);
    record.put("candidates", candidates);
    RunFolder.write(runDir.resolve(SEED_THRESHOLD_FILE), record);
    return best;
  }

  /**
   * Every {@link SeedThreshold#candidates candidate} scored against the annotated cores of
   * these images (each segmented once; the candidates only re-cut the probabilities).
   */
  public List<SeedThreshold.Candidate> score(Predictor predictor, List<FloatImage> images,
      List<LabelImage> cores) {
    return score(predictor, images, cores, (n, k) -> true, n -> {});
  }

  /**
   * The same over the first images that {@code goOn} lets through: it is asked before each
   * image's prediction (candidate 0) and each further candidate's growth, and at its first no
   * the scoring ends, leaving out the image it was on; {@code done} hears how many images
   * count. The candidates come from all the cores.
   */
  List<SeedThreshold.Candidate> score(Predictor predictor, List<FloatImage> images,
      List<LabelImage> cores, BiPredicate<Integer, Integer> goOn, IntConsumer done) {
    int[] heads = heads(predictor.spec().tasks());
    List<SeedThreshold.Candidate> candidates = SeedThreshold.candidates(cores);
    SeedThreshold.Agreement[] pooled = new SeedThreshold.Agreement[candidates.size()];
    java.util.Arrays.fill(pooled, SeedThreshold.Agreement.NONE);
    int n = 0;
    images:
    for (; n < images.size(); n++) {
      FloatImage image = images.get(n);
      SeedThreshold.Agreement[] own = new SeedThreshold.Agreement[candidates.size()];
      float[][][] p = null;
      for (int k = 0; k < candidates.size(); k++) {
        if (!goOn.test(n, k)) {
          break images;
        }
        if (p == null) {
          p = predictor.probabilities(image, heads);
        }
        SeedThreshold.Candidate c = candidates.get(k);
        // Without giving pixels back: which objects the seeds make is what counts here,
        // and the read-out was chosen with seeds settled this way.
        Segmentation seg = grow(p, image.width(), image.height(), c.threshold(), c.minSeed(),
            false);
        own[k] = SeedThreshold.agreement(seg.instances(), cores.get(n));
      }
      for (int k = 0; k < candidates.size(); k++) {
        pooled[k] = pooled[k].plus(own[k]);
      }
    }
    done.accept(n);
    for (int k = 0; k < candidates.size(); k++) {
      candidates.set(k, candidates.get(k).scored(pooled[k]));
    }
    return candidates;
  }

  /** The training images outside the strong subset that have partial masks, by id. */
  static Map<String, LabeledImage> weakImages(TrainingData data) {
    Map<String, LabeledImage> weak = new LinkedHashMap<>();
    data.images().forEach((id, image) -> {
      if (!data.strongIds().contains(id) && image.has(LabeledImage.Kind.PARTIAL)) {
        weak.put(id, image);
      }
    });
    return weak;
  }
}
