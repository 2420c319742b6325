package org.lazyseg.train.method;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Probabilities;
import org.lazyseg.core.weak.FarBackground;
import org.lazyseg.core.weak.LevelSetGrowth;
import org.lazyseg.core.weak.RecursiveGrowth;
import org.lazyseg.core.weak.SeedThreshold;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.engine.RoundHook;
import org.lazyseg.train.engine.TimeBudget;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * Recursive approximation tasks (paper 000; docs/methods.md, Recursive approximation). Head 0
 * learns the segmentation from the few strong masks, head 1 the "approximation" from partial masks
 * that grow towards the object boundaries between rounds, and an optional head 2 the separation of
 * touching objects from scribbles.
 *
 * <p>Training runs {@code rounds} rounds. After each round but the last, every weakly
 * labelled training image (a partial mask, no strong mask) gets a new approximation label
 * ({@link RecursiveGrowth#relabel}): the current label joined with the network's
 * approximation A, grown by level sets ({@link LevelSetGrowth}) inside the predicted
 * foreground S with {@code lambda}, united with the annotator's partial mask. {@link Rounds}
 * keeps every round's labels in the run folder and, where the truth is known, their mean Dice
 * per round.
 * Prediction ({@link #segment}) grows the approximation head's output inside the
 * segmentation head's with the larger {@code lambda-pred}.
 *
 * <p>Choices the paper leaves open [R], see docs/methods.md, Recursive approximation:
 * <ul>
 *   <li>A strong image's approximation target is its strong mask (the exact approximation),
 *       never re-labelled; weak images learn their partial masks ("rest" = 0 elsewhere).</li>
 *   <li>A = the network's approximation united with the current label, restricted to the
 *       8-connected components that meet the current label: an object the network
 *       imagines where the annotator marked nothing does not become a new label. So labels
 *       never shrink and never gain objects.</li>
 *   <li>S = the segmentation head's foreground, minus the pixels the separation head calls
 *       interface (probability &gt; 1/2) when the network has one; seeds are A's
 *       8-connected components (the paper's steps 1 to 4), classes by seed.</li>
 *   <li>lambda = 0.1 during training (the paper's "small values"), 10 rounds. For the
 *       final prediction ("a larger value") lambda-pred = infinity: A united with the parts
 *       of S that A's objects own. On GlaS after a short training, while the approximations
 *       were still cores, test object Dice rose monotonically with lambda-pred from 0 to
 *       infinity (see BENCHMARKS.md).</li>
 * </ul>
 *
 * <p>Training length: a profile gives E epochs of N steps. Unless {@code epochs-per-round}
 * or {@code steps-per-round} is set, the method keeps the profile's E x N steps and splits
 * them into the rounds: whole epochs per round where E &gt;= rounds, else one epoch of
 * E x N / rounds steps per round.
 *
 * <p>"auto" separation is settled by {@link #forData} before training; the seed threshold by
 * {@link #afterTraining}, which returns a settled copy: an instance never changes.
 */
public final class RecursiveApproximation implements Method {
  public static final String NAME = "recursive";
  public static final String APPROXIMATION = "approximation";
  /** Head indices. */
  public static final int SEGMENTATION_HEAD = 0;
  public static final int APPROXIMATION_HEAD = 1;
  public static final int SEPARATION_HEAD = 2;

  /**
   * The method's settings.
   *
   * @param rounds T, training rounds (labels are re-computed T - 1 times, between rounds)
   * @param epochsPerRound 0 = from the profile (see the class comment)
   * @param stepsPerRound 0 = from the profile; otherwise one epoch of this many steps a round
   * @param lambda growth speed while training
   * @param lambdaPred growth speed of the final prediction
   * @param prediction the final segmentation: "grow" (the paper), "grow-keep",
   *     "segmentation" or "approximation" (see {@link RecursiveApproximation#segment})
   * @param separation "auto" (a separation head when some training image has a scribble
   *     pixel),
   *     "true" or "false"
   * @param truth a dataset folder whose masks/ are the truth of the weakly labelled images,
   *     for the per-round Dice only (never trained on); null = the training dataset's own
   *     masks of the images outside the strong subset
   * @param overlays how many weak images get pictures of their labels per round
   * @param strongShare share of each batch drawn from the strongly labelled images (0:
   *     uniform draws over all images). With 9 strong images of 200 (HC18 at 4.4%) uniform
   *     draws give the segmentation head a third of a crop a batch; after 800 steps its
   *     foreground was speckle on the ultrasound texture, not the head, so the labels, which
   *     grow inside it, did not grow. NaN ("auto", the default): one crop of each batch where
   *     uniform draws would leave most batches without a strong crop (HC18: 69% of them),
   *     else uniform (GlaS at 8 of 85: 45%), see
   *     {@link org.lazyseg.train.data.BatchProducer#strongSlots}
   * @param farBackground 0: the segmentation head learns from the strong masks alone; R &gt; 0:
   *     also from the annotator's partial masks of the other images, their cores as objects
   *     and the pixels farther than R core radii from every core as background
   *     ({@link FarBackground}; the same option as multi-task's), and the approximation
   *     labels never grow into that background; NaN ("auto", the default): settled by
   *     {@link RecursiveApproximation#forData}, {@link FarBackground#REACH} where the images
   *     that carry a strong mask and a partial mask show a core in every object (the
   *     annotator marks every object, as the protocol assumes), else 0
   * @param seedThreshold the final prediction's seeds are the pixels whose approximation
   *     foreground probability exceeds this; NaN ("auto", the default) = chosen after
   *     training on the weakly labelled training images ({@link SeedThreshold}), and where
   *     that never happened (older runs) the approximation's argmax as in the paper
   * @param minSeed seeds (8-connected) of fewer pixels are dropped; settled with an "auto"
   *     seed threshold, else 0 unless given
   */
  public record Settings(int rounds, int epochsPerRound, int stepsPerRound, double lambda,
      double lambdaPred, String prediction, String separation, String truth, int overlays,
      double strongShare, double farBackground, double seedThreshold, int minSeed) {
    /** Final segmentations: see {@link RecursiveApproximation#segment}. */
    public static final List<String> PREDICTIONS =
        List.of("grow", "grow-keep", "segmentation", "approximation");
    public static final Settings DEFAULT =
        new Settings(10, 0, 0, 0.1, Double.POSITIVE_INFINITY, "grow", "auto", null, 4,
            Double.NaN, Double.NaN, Double.NaN, 0);

    public Settings {
      if (rounds < 1 || epochsPerRound < 0 || stepsPerRound < 0 || overlays < 0 || minSeed < 0) {
        throw new IllegalArgumentException("method 'recursive': rounds must be >= 1 and "
            + "epochs-per-round, steps-per-round, overlays, min-seed >= 0");
      }
      if (epochsPerRound > 0 && stepsPerRound > 0) {
        throw new IllegalArgumentException(
            "method 'recursive': give epochs-per-round or steps-per-round, not both");
      }
      if (!(Double.isNaN(strongShare) || (strongShare >= 0 && strongShare <= 1))) {
        throw new IllegalArgumentException(
            "method 'recursive': strong-share must be auto or in [0, 1], not " + strongShare);
      }
      if (!(Double.isNaN(farBackground) || farBackground >= 0)
          || Double.isInfinite(farBackground)) {
        throw new IllegalArgumentException("method 'recursive': far-background must be auto or"
            + " a number >= 0, not " + farBackground);
      }
      if (!(lambda >= 0) || !(lambdaPred >= 0)) {
        throw new IllegalArgumentException(
            "method 'recursive': lambda and lambda-pred must be >= 0 (inf allowed)");
      }
      if (!Double.isNaN(seedThreshold) && !(seedThreshold > 0 && seedThreshold < 1)) {
        throw new IllegalArgumentException("method 'recursive': seed-threshold must be auto or"
            + " a number in (0, 1), not " + seedThreshold);
      }
      if (!PREDICTIONS.contains(prediction)) {
        throw new IllegalArgumentException("method 'recursive': prediction must be one of "
            + PREDICTIONS + ", not '" + prediction + "'");
      }
      if (!List.of("auto", "true", "false").contains(separation)) {
        throw new IllegalArgumentException(
            "method 'recursive': separation must be auto, true or false, not '" + separation + "'");
      }
    }

    /** Parses {@code -O key=value} settings against {@link RecursiveApproximation#SETTINGS}. */
    public static Settings parse(Map<String, String> o) {
      OptionValues v = OptionValues.parse(NAME, SETTINGS, o);
      String truth = v.text("truth");
      return new Settings(v.integer("rounds"), v.integer("epochs-per-round"),
          v.integer("steps-per-round"), v.number("lambda"), v.number("lambda-pred"),
          v.text("prediction"), v.text("separation"),
          truth == null || truth.isBlank() ? null : truth, v.integer("overlays"),
          v.number("strong-share"), v.number("far-background"), v.number("seed-threshold"),
          v.integer("min-seed"));
    }

    /** A copy with separation settled to "true" or "false". */
    public Settings withSeparation(boolean on) {
      return new Settings(rounds, epochsPerRound, stepsPerRound, lambda, lambdaPred, prediction,
          Boolean.toString(on), truth, overlays, strongShare, farBackground, seedThreshold,
          minSeed);
    }

    /** A copy with far background settled to {@code reach} (0 = off). */
    public Settings withFarBackground(double reach) {
      return new Settings(rounds, epochsPerRound, stepsPerRound, lambda, lambdaPred, prediction,
          separation, truth, overlays, strongShare, reach, seedThreshold, minSeed);
    }

    /** A copy with the seeds' threshold and least area settled. */
    public Settings withSeeds(double threshold, int least) {
      return new Settings(rounds, epochsPerRound, stepsPerRound, lambda, lambdaPred, prediction,
          separation, truth, overlays, strongShare, farBackground, threshold, least);
    }



    Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("rounds", Integer.toString(rounds));
      m.put("epochs-per-round", Integer.toString(epochsPerRound));
      m.put("steps-per-round", Integer.toString(stepsPerRound));
      m.put("lambda", number(lambda));
      m.put("lambda-pred", number(lambdaPred));
      m.put("prediction", prediction);
      m.put("separation", separation);
      if (truth != null) {
        m.put("truth", truth);
      }
      m.put("overlays", Integer.toString(overlays));
      // Always written: a run recorded before "auto" had no entry for 0 (uniform draws).
      m.put("strong-share", Double.isNaN(strongShare) ? "auto" : Double.toString(strongShare));
      // Always written: a run recorded before "auto" had no entry for 0 (off).
      m.put("far-background", Double.isNaN(farBackground) ? "auto"
          : Double.toString(farBackground));
      m.put("seed-threshold",
          Double.isNaN(seedThreshold) ? "auto" : Double.toString(seedThreshold));
      if (minSeed != DEFAULT.minSeed) {
        m.put("min-seed", Integer.toString(minSeed));
      }
      return m;
    }


    private static String number(double v) {
      return Double.isInfinite(v) ? "inf" : Double.toString(v);
    }

  }

  static final List<Setting> SETTINGS = List.of(
      Setting.integer("rounds", 10, 1, Integer.MAX_VALUE, "training rounds; the labels grow"
          + " between rounds"),
      Setting.integer("epochs-per-round", 0, 0, Integer.MAX_VALUE, "epochs a round (0 = the"
          + " profile's epochs split into the rounds)"),
      Setting.integer("steps-per-round", 0, 0, Integer.MAX_VALUE, "steps a round, as one epoch"
          + " (0 = from the profile)"),
      Setting.number("lambda", 0.1, 0, Double.POSITIVE_INFINITY, "growth speed of the labels"
          + " between rounds").orWord("inf", Double.POSITIVE_INFINITY),
      Setting.number("lambda-pred", Double.POSITIVE_INFINITY, 0, Double.POSITIVE_INFINITY,
          "growth speed of the final prediction").orWord("inf", Double.POSITIVE_INFINITY),
      Setting.choice("prediction", "grow", Settings.PREDICTIONS, "the final segmentation:"
          + " grow the approximation inside the segmentation, keep unmatched objects too, or"
          + " one head alone"),
      Setting.choice("separation", "auto", List.of("auto", "true", "false"), "learn"
          + " separation from scribbles (auto: when some training image has a scribble pixel)"),
      Setting.text("truth", "a dataset folder whose masks are the truth of the weak images,"
          + " for the per-round Dice only (never trained on)"),
      Setting.integer("overlays", 4, 0, Integer.MAX_VALUE, "weak images pictured per round"),
      Setting.number("strong-share", Double.NaN, 0, 1, "share of each batch drawn from the strongly"
          + " labelled images (0 = uniform draws; auto: one crop of each batch where uniform"
          + " draws would leave most batches without one)").orWord("auto", Double.NaN),
      Setting.number("far-background", Double.NaN, 0, Double.POSITIVE_INFINITY, "as"
          + " multitask's; the labels also never grow into that background (0 = off; auto: "
          + FarBackground.REACH + " where the images with both a strong and a partial mask"
          + " have a core in every object, else off)").orWord("auto", Double.NaN),
      Setting.number("seed-threshold", Double.NaN, 0, 1, "prediction: seeds where the"
          + " approximation exceeds this (auto: chosen after training on the weak images)")
          .aboveMin().belowMax().orWord("auto", Double.NaN),
      Setting.integer("min-seed", 0, 0, Integer.MAX_VALUE, "prediction: seeds of fewer pixels"
          + " are dropped (settled with an auto seed threshold)"));

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public RecursiveApproximation configure(Map<String, String> options) {
    return new RecursiveApproximation(Settings.parse(options));
  }

  private final Settings options;

  public RecursiveApproximation() {
    this(Settings.DEFAULT);
  }

  public RecursiveApproximation(Settings options) {
    this.options = options;
  }

  /** This instance's values of its settings. */
  public Settings values() {
    return options;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "segmentation (strong masks) + approximation (partial masks grown between rounds)"
        + " + optional separation (scribbles)";
  }

  @Override
  public List<Task> tasks(int classes) {
    List<Task> tasks = new ArrayList<>(List.of(
        Task.of(Supervised.SEGMENTATION, classes + 1),
        Task.of(APPROXIMATION, classes + 1)));
    if (withSeparation()) {
      tasks.add(Task.of(LazyMultiTask.SEPARATION, 2));
    }
    return tasks;
  }

  private boolean withSeparation() {
    return options.separation.equals("true");
  }

  /**
   * Settles "auto" separation (on when some training image has a scribble pixel) and "auto"
   * far background ({@link FarBackground#REACH} when the images with both a strong and a
   * partial mask have a core in every object, see {@link #everyObjectMarked}; else off).
   */
  @Override
  public Method forData(TrainingSet data) {
    Settings s = options;
    if (s.separation.equals("auto")) {
      s = s.withSeparation(LazyMultiTask.anyScribblePixel(data));
    }
    if (Double.isNaN(s.farBackground)) {
      s = s.withFarBackground(everyObjectMarked(data) ? FarBackground.REACH : 0);
    }
    return s == options ? this : new RecursiveApproximation(s);
  }

  /**
   * Whether the annotator marks every object: at least one training image carries both a
   * strong mask and a partial mask, and on each of them every object of the strong mask
   * holds a partial-mask pixel ({@link FarBackground#marksEveryObject}). Far background
   * assumes this of every weakly labelled image; an annotator who leaves objects unmarked
   * would teach the segmentation head that those objects are background.
   */
  static boolean everyObjectMarked(TrainingSet data) {
    int looked = 0;
    for (LabeledImage image : data.train()) {
      if (looked == EVIDENCE_IMAGES) {
        break;
      }
      if (image.has(LabeledImage.Kind.MASK) && image.has(LabeledImage.Kind.PARTIAL)) {
        if (!FarBackground.marksEveryObject(image.instances().orElseThrow(),
            image.partial().orElseThrow())) {
          return false;
        }
        looked++;
      }
    }
    return looked > 0;
  }

  /**
   * Images {@link #everyObjectMarked} reads at most: enough to see an annotator's habit,
   * and a bound on the loading before training (two label files each).
   */
  static final int EVIDENCE_IMAGES = 64;

  /**
   * Always three entries (segmentation, approximation, separation); the engine reads only
   * as many as the network has heads.
   */
  @Override
  public LabelImage[] targets(LabeledImage sample, int classes) {
    boolean isStrong = sample.has(LabeledImage.Kind.MASK);
    LabelImage segmentation = sample.mask().orElse(null);
    LabelImage approximation = null;
    if (isStrong) {
      approximation = segmentation;   // the exact approximation; never re-labelled
    } else if (sample.has(LabeledImage.Kind.PARTIAL)) {
      LabelImage partial = sample.partial().orElseThrow();
      approximation = Method.asClasses(partial, classes);
      if (options.farBackground > 0) {
        segmentation = FarBackground.target(LazyMultiTask.cores(partial, classes),
            approximation, options.farBackground, FarBackground.MARGIN);
      }
    }
    LabelImage separation = null;
    if (sample.has(LabeledImage.Kind.SCRIBBLES)) {
      separation = sample.scribbles().orElseThrow();
    }
    if (segmentation == null && approximation == null && separation == null) {
      return null;
    }
    return new LabelImage[] {segmentation, approximation, separation};
  }

  /** Also with one round: it records round 0 (the partial masks and their Dice). */
  @Override
  public RoundHook roundHook(TrainingData data, Path runDir, TrainConfig config) {
    return new Rounds(runDir, data, SeededGrowth.weakImages(data), options);
  }

  /**
   * Default of {@code train --anneal} for this method: the last quarter of the epochs at a
   * falling rate. Chosen on GlaS validation images (BENCHMARKS.md, issue 30): at a constant
   * rate the last checkpoint, which a run without validation images keeps, scored well below
   * its best epoch; annealed, close to it.
   */
  public static final double ANNEAL = 0.25;

  /** Rounds and their length (see the class comment), and {@link #ANNEAL}. */
  @Override
  public TrainConfig adjust(TrainConfig config) {
    int t = options.rounds;
    TrainConfig.Builder b = config.withDefaultAnneal(ANNEAL).toBuilder()
        .optStrongShare(options.strongShare);
    if (options.stepsPerRound > 0) {
      return b.setRounds(t, 1).setStepsPerEpoch(options.stepsPerRound).build();
    }
    if (options.epochsPerRound > 0) {
      return b.setRounds(t, options.epochsPerRound).build();
    }
    int epochs = config.epochs();
    if (epochs >= t) {
      return b.setRounds(t, Math.max(1, Math.round((float) epochs / t))).build();
    }
    long steps = (long) epochs * config.stepsPerEpoch();
    return b.setRounds(t, 1).setStepsPerEpoch((int) Math.max(1, steps / t)).build();
  }

  /**
   * Settles an "auto" seed threshold on the weakly labelled training images
   * ({@link SeededGrowth#settle}, which writes RUN/seed-threshold.json and stops by the
   * budget's end). Nothing to do without weak images or a given threshold.
   */
  @Override
  public Method afterTraining(Path runDir, TrainingData data, TimeBudget budget,
      Consumer<String> notes) throws IOException {
    if (!searchesSeeds()) {
      return this;
    }
    SeedThreshold.Candidate best = SeededGrowth.settle(runDir, data, APPROXIMATION,
        options.lambdaPred, options.prediction.equals("grow-keep"), budget, notes);
    return best == null ? this
        : new RecursiveApproximation(options.withSeeds(best.threshold(), best.minSeed()));
  }

  /** Whether {@link #afterTraining} searches the seed threshold: an auto one, grown read-outs. */
  private boolean searchesSeeds() {
    return Double.isNaN(options.seedThreshold) && (options.prediction.equals("grow")
        || options.prediction.equals("grow-keep"));
  }

  @Override
  public double afterTrainingShare() {
    return searchesSeeds() ? SeededGrowth.SEARCH_SHARE : 0;
  }

  /** One round's mean Dice of the training-set approximations against the truth. */
  public record RoundDice(int round, Double meanDice, int images) {}

  /**
   * The per-round Dice a recursive run recorded in RUN/approximation-dice.json (rounds whose
   * images had no truth have a null mean); empty for a run without the file.
   */
  public static List<RoundDice> approximationDice(Path runDir) {
    return Rounds.read(runDir).stream()
        .map(r -> new RoundDice(r.round(), r.meanDice(), r.images())).toList();
  }

  /** Where {@link #afterTraining} records its choice. */
  public static final String SEED_THRESHOLD_FILE = SeededGrowth.SEED_THRESHOLD_FILE;

  private SeededGrowth growth() {
    return new SeededGrowth(APPROXIMATION, options.lambdaPred,
        options.prediction.equals("grow-keep"), options.seedThreshold, options.minSeed);
  }

  @Override
  public Map<String, String> options() {
    return options.asMap();
  }

  /**
   * The final segmentation, by {@code prediction}: "grow" (the paper) grows the approximation
   * head's regions inside the segmentation head's foreground S with {@code lambda-pred};
   * instances are the grown objects (with the default infinite speed they then get back the
   * foreground left between them, {@link SeededGrowth#givesBack}, and may touch) and objects
   * of S that hold no approximation are dropped. "grow-keep" keeps those objects as they are (class by the
   * segmentation head). "segmentation" is the segmentation head alone (the default of
   * {@link Method#segment}). Probabilities are the segmentation head's. "approximation" is
   * the approximation head alone (its last-round labels are near-full masks), probabilities
   * its own.
   */
  @Override
  public Segmentation segment(Predictor predictor, FloatImage image) {
    ModelSpec spec = predictor.spec();
    int approximation = spec.headOf(APPROXIMATION);
    if (approximation < 0 || options.prediction.equals("segmentation")) {
      return Method.super.segment(predictor, image);
    }
    int separation = spec.headOf(LazyMultiTask.SEPARATION);
    if (options.prediction.equals("approximation")) {
      int[] heads = separation >= 0 ? new int[] {approximation, separation}
          : new int[] {approximation};
      float[][][] p = predictor.probabilities(image, heads);
      LabelImage classes = Probabilities.argmax(p[0], image.width(), image.height());
      return new Segmentation(classes, instances(classes, separation >= 0 ? p[1] : null), p[0]);
    }
    return growth().segment(predictor, image);
  }

  /**
   * "segmentation" and "approximation" decode their head pixel by pixel (the default's
   * heads, or the approximation head's); "grow" and "grow-keep" grow seeds over the whole
   * image: null.
   */
  @Override
  public int[] pixelHeads(Predictor predictor) {
    ModelSpec spec = predictor.spec();
    int approximation = spec.headOf(APPROXIMATION);
    if (approximation < 0 || options.prediction.equals("segmentation")) {
      return Method.super.pixelHeads(predictor);
    }
    return options.prediction.equals("approximation")
        ? new int[] {approximation, spec.headOf(LazyMultiTask.SEPARATION)} : null;
  }

  /**
   * {@link #segment}, decoded row band by row band: "segmentation" and "approximation" are
   * the default decoding of their head; "grow" and "grow-keep" decide S, the seeds (and for
   * grow-keep the segmentation head's classes) pixel by pixel as the rows come, then grow
   * the seeds on those label images of the whole image (global: see
   * {@link RecursiveGrowth#grow(LabelImage, LabelImage, LabelImage, double, int)}).
   */
  @Override
  public Segmentation segmentInBands(Predictor predictor, FloatImage image,
      float[] foreground) {
    int[] pixel = pixelHeads(predictor);
    if (pixel != null) {
      return Bands.argmaxAndCut(this, predictor, image, pixel[0], pixel[1], foreground);
    }
    return growth().segmentInBands(predictor, image, foreground);
  }

}
