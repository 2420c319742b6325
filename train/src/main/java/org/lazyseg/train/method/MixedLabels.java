package org.lazyseg.train.method;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Batch;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.engine.TimeBudget;
import org.lazyseg.train.loss.MultiTaskLoss;
import org.lazyseg.train.loss.Objective;
import org.lazyseg.train.loss.SizeObjective;
import org.lazyseg.train.loss.TagLosses;
import org.lazyseg.train.nn.GlobalWeightedPooling;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * One network from any mix of lazy labels (docs/methods.md, Mixed labels): per image, the
 * loss of every label it has, summed. The pixel labels are those of {@link LazyMultiTask}
 * (its tasks, targets and prediction, reused as they are): segmentation from a strong mask,
 * detection from a partial mask, separation from scribbles. The image labels act on the
 * segmentation head (head 0) itself: an object size through the size term of paper 002
 * ({@link SizeObjective}, on the foreground probability 1 - p(background)), tags through the
 * tag term of paper 003 (the class maps p(k) of head 0, pooled by
 * {@link GlobalWeightedPooling}, against the tags by {@link TagLosses#binaryCrossEntropy}).
 *
 * <pre>
 * L = CE_seg + detection-weight CE_det + CE_sep + size-weight E[(g(B) - s)^2] / s^2
 *     + tag-weight BCE(GWP(p_k), tag_k)
 * </pre>
 *
 * <p>A label an image lacks contributes nothing (its pixels are IGNORE, its image labels NaN).
 * A size and a "present" tag describe the whole image, so they count only for a crop that
 * holds the whole image ({@link Batch#wholeImage}); an "absent" tag holds for any part of the
 * image and counts for every crop.
 *
 * <p>The defaults are those of the methods each term comes from (weights 1, interface weight
 * 20, r = 5): not yet tuned on validation data (BENCHMARKS.md, issue 28).
 */
public final class MixedLabels implements Method {
  public static final String NAME = "lazy";
  /** Image labels of an example: {@code [size, tag_1, ..., tag_K]}, NaN where missing. */
  static final int SIZE = 0;
  static final int FIRST_TAG = 1;

  /**
   * The settings.
   *
   * @param separation "auto" (a separation head when some training image has a scribble
   *     pixel), "true" or "false"
   * @param crop training crop, 0 = the profile's (a crop that holds whole images lets sizes
   *     and present tags count)
   * @param pseudoLabels whether the segmentation head also learns from the GrabCut pseudo
   *     masks of the images with a partial mask (multitask's {@code pseudo-labels})
   */
  public record Settings(double detectionWeight, String separation, double separationWeight,
      double sizeWeight, int samples, double tagWeight, double r, int crop, double strongShare,
      boolean pseudoLabels, double interfaceThreshold, int minPiece, String prediction, double seedThreshold,
      int minSeed) {
    public Settings {
      if (!List.of("auto", "true", "false").contains(separation)) {
        throw new IllegalArgumentException(
            "method 'lazy': separation must be auto, true or false, not '" + separation + "'");
      }
      if (!(detectionWeight >= 0 && sizeWeight >= 0 && tagWeight >= 0)
          || Double.isInfinite(detectionWeight + sizeWeight + tagWeight)) {
        throw new IllegalArgumentException("method 'lazy': weights must be numbers >= 0");
      }
      if (samples < 1 || crop < 0) {
        throw new IllegalArgumentException("method 'lazy': need samples >= 1 and crop >= 0");
      }
    }

    /**
     * The pixel part: multitask's settings (shared decoder, no far background) with this
     * method's pseudo masks and read-out.
     */
    LazyMultiTask pixels() {
      return new LazyMultiTask(new LazyMultiTask.Settings(!separation.equals("false"),
          ModelSpec.UNET, strongShare, separationWeight, interfaceThreshold, minPiece, 0,
          pseudoLabels, prediction, seedThreshold, minSeed));
    }

    Settings withSeparation(String on) {
      return new Settings(detectionWeight, on, separationWeight, sizeWeight, samples,
          tagWeight, r, crop, strongShare, pseudoLabels, interfaceThreshold, minPiece, prediction,
          seedThreshold, minSeed);
    }

    Settings withSeeds(double threshold, int least) {
      return new Settings(detectionWeight, separation, separationWeight, sizeWeight, samples,
          tagWeight, r, crop, strongShare, pseudoLabels, interfaceThreshold, minPiece, prediction, threshold,
          least);
    }
  }

  /**
   * Default read-out: "split", multitask's default (the segmentation head's surest pixels
   * grown back inside its foreground, the seeds settled after training). Chosen with
   * {@link #PSEUDO_LABELS} on 15 GlaS validation images carved from the training split, the
   * other 70 labelled with the mix (BENCHMARKS.md, Mixed labels): against the plain
   * read-out it joined fewer glands.
   */
  public static final String PREDICTION = "split";

  /**
   * Default of {@code pseudo-labels}: true, as multitask's; chosen with {@link #PREDICTION}
   * on the same validation images (better Dice and object Dice than without).
   */
  public static final boolean PSEUDO_LABELS = true;

  static final Settings DEFAULTS = new Settings(1, "auto", LazyMultiTask.SEPARATION_WEIGHT, 1,
      1, 1, 5, 0, LazyMultiTask.STRONG_SHARE, PSEUDO_LABELS, LazyMultiTask.INTERFACE_THRESHOLD,
      LazyMultiTask.MIN_PIECE, PREDICTION, Double.NaN, 0);

  static final List<Setting> SETTINGS = List.of(
      Setting.number("detection-weight", DEFAULTS.detectionWeight(), 0,
          Double.POSITIVE_INFINITY, "weight of the detection term (partial masks)"),
      Setting.choice("separation", "auto", List.of("auto", "true", "false"), "learn separation"
          + " from scribbles (auto: when some training image has a scribble pixel)"),
      Setting.number("separation-weight", DEFAULTS.separationWeight(), 0,
          Double.POSITIVE_INFINITY, "weight of an interface pixel in the separation loss, as"
          + " multitask's").aboveMin(),
      Setting.number("size-weight", DEFAULTS.sizeWeight(), 0, Double.POSITIVE_INFINITY,
          "weight of the size term (sizes.csv)"),
      Setting.integer("samples", DEFAULTS.samples(), 1, Integer.MAX_VALUE, "samples of the"
          + " stochastic binarisation of the size term per image and step"),
      Setting.number("tag-weight", DEFAULTS.tagWeight(), 0, Double.POSITIVE_INFINITY,
          "weight of the tag term (tags.csv)"),
      Setting.number("r", DEFAULTS.r(), 0, Double.POSITIVE_INFINITY, "the GWP parameter of"
          + " the tag term: 0 = average, large = max"),
      Setting.integer("crop", 0, 0, Integer.MAX_VALUE, "training crop (0 = the profile's);"
          + " sizes and present tags count only where a crop holds the whole image"),
      Setting.number("strong-share", DEFAULTS.strongShare(), 0, 1, "share of each batch drawn"
          + " from the strongly labelled images (0 = uniform draws)"),
      Setting.bool("pseudo-labels", DEFAULTS.pseudoLabels(), "the segmentation head also"
          + " learns from the GrabCut pseudo masks of the images with a partial mask, as"
          + " multitask's (their pseudo/ masks, else computed when the examples load)"),
      Setting.number("interface-threshold", DEFAULTS.interfaceThreshold(), 0, 1, "prediction:"
          + " cut objects where the interface probability exceeds this").aboveMin().belowMax(),
      Setting.integer("min-piece", DEFAULTS.minPiece(), 0, Integer.MAX_VALUE, "prediction: a"
          + " piece cut off smaller than this (pixels) grows back into its neighbours"),
      LazyMultiTask.setting("prediction").withDefault(PREDICTION),
      LazyMultiTask.setting("seed-threshold"),
      LazyMultiTask.setting("min-seed"));

  private final Settings settings;
  private final LazyMultiTask pixels;

  public MixedLabels() {
    this(DEFAULTS);
  }

  public MixedLabels(Settings settings) {
    this.settings = settings;
    this.pixels = settings.pixels();
  }

  public Settings settingsValues() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "any mix of labels on one network: strong masks, partial masks, scribbles, sizes,"
        + " tags (each image adds the loss of every label it has)";
  }

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public MixedLabels configure(Map<String, String> options) {
    OptionValues v = OptionValues.parse(NAME, SETTINGS, options);
    return new MixedLabels(new Settings(v.number("detection-weight"), v.text("separation"),
        v.number("separation-weight"), v.number("size-weight"), v.integer("samples"),
        v.number("tag-weight"), v.number("r"), v.integer("crop"), v.number("strong-share"),
        v.bool("pseudo-labels"), v.number("interface-threshold"), v.integer("min-piece"), v.text("prediction"),
        v.number("seed-threshold"), v.integer("min-seed")));
  }

  /** Settles {@code separation=auto}: a separation head when some image has a scribble pixel. */
  @Override
  public MixedLabels forData(TrainingSet data) {
    if (!settings.separation().equals("auto")) {
      return this;
    }
    return new MixedLabels(settings.withSeparation(
        Boolean.toString(LazyMultiTask.anyScribblePixel(data))));
  }

  @Override
  public Map<String, String> options() {
    Map<String, String> o = new TreeMap<>();
    Settings d = DEFAULTS;
    Settings s = settings;
    putIf(o, "detection-weight", s.detectionWeight(), d.detectionWeight());
    if (!s.separation().equals(d.separation())) {
      o.put("separation", s.separation());
    }
    putIf(o, "separation-weight", s.separationWeight(), d.separationWeight());
    putIf(o, "size-weight", s.sizeWeight(), d.sizeWeight());
    putIf(o, "samples", s.samples(), d.samples());
    putIf(o, "tag-weight", s.tagWeight(), d.tagWeight());
    putIf(o, "r", s.r(), d.r());
    putIf(o, "crop", s.crop(), d.crop());
    putIf(o, "strong-share", s.strongShare(), d.strongShare());
    // Always: runs recorded before the default became true left it out and were trained
    // without pseudo masks (their resume is then refused as another setting).
    o.put("pseudo-labels", Boolean.toString(s.pseudoLabels()));
    putIf(o, "interface-threshold", s.interfaceThreshold(), d.interfaceThreshold());
    putIf(o, "min-piece", s.minPiece(), d.minPiece());
    if (!s.prediction().equals(d.prediction())) {
      o.put("prediction", s.prediction());
    }
    if (!Double.isNaN(s.seedThreshold())) {
      o.put("seed-threshold", Setting.plain(s.seedThreshold()));
    }
    putIf(o, "min-seed", s.minSeed(), d.minSeed());
    return o;
  }

  private static void putIf(Map<String, String> o, String key, double value, double otherwise) {
    if (value != otherwise) {
      o.put(key, Setting.plain(value));
    }
  }

  /** Multitask's heads, the detection term weighted by {@code detection-weight}. */
  @Override
  public List<Task> tasks(int classes) {
    List<Task> tasks = new java.util.ArrayList<>(pixels.tasks(classes));
    Task detection = tasks.get(1);
    tasks.set(1, new Task(detection.name(), detection.classes(), settings.detectionWeight(),
        detection.foregroundWeight()));
    return List.copyOf(tasks);
  }

  /** Multitask's targets: strong mask, partial mask, scribbles (null where missing). */
  @Override
  public LabelImage[] targets(LabeledImage image, int classes) {
    return pixels.targets(image, classes);
  }

  /**
   * {@code [size, tag_1, ..., tag_K]} with NaN for what the image lacks; null without a
   * size and tags. An image with a strong mask has everything a size or tag could say.
   */
  @Override
  public float[] imageLabels(LabeledImage image, int classes) {
    if (image.has(LabeledImage.Kind.MASK)
        || (image.objectSize().isEmpty() && image.tags().isEmpty())) {
      return null;
    }
    float[] out = new float[FIRST_TAG + classes];
    Arrays.fill(out, Float.NaN);
    image.objectSize().ifPresent(s -> out[SIZE] = (float) s);
    image.tags().ifPresent(t -> {
      for (int k = 0; k < classes; k++) {
        out[FIRST_TAG + k] = t[k] ? 1 : 0;
      }
    });
    return out;
  }

  /**
   * False for an image whose only labels are a size or tags saying classes are present (no
   * pixel target, no absent tag) when no crop of {@code config} holds it whole: none of its
   * terms counts in any crop. (Its loss would be empty in every batch it took a place in.)
   */
  @Override
  public boolean learnsFrom(Example example, TrainConfig config) {
    float[] labels = example.imageLabels();
    if (labels == null || Arrays.stream(example.targets()).anyMatch(t -> t != null)) {
      return true;
    }
    for (int k = FIRST_TAG; k < labels.length; k++) {
      if (labels[k] == 0) {
        return true;   // an absent tag holds for every crop
      }
    }
    return config.effectiveAugmentation().canHoldWhole(config.crop(), example.image().width(),
        example.image().height());
  }

  @Override
  public TrainConfig adjust(TrainConfig config) {
    TrainConfig adjusted = pixels.adjust(config);
    return settings.crop() > 0 ? adjusted.toBuilder().setCrop(settings.crop()).build() : adjusted;
  }

  @Override
  public double interfaceThreshold() {
    return pixels.interfaceThreshold();
  }

  /** Multitask's read-out of the pixel heads ({@link LazyMultiTask#segment}). */
  @Override
  public Segmentation segment(Predictor predictor, FloatImage image) {
    return pixels.segment(predictor, image);
  }

  @Override
  public int[] pixelHeads(Predictor predictor) {
    return pixels.pixelHeads(predictor);
  }

  @Override
  public Segmentation segmentInBands(Predictor predictor, FloatImage image,
      float[] foreground) {
    return pixels.segmentInBands(predictor, image, foreground);
  }

  /** Settles an auto seed threshold of the split and grow read-outs as multitask does. */
  @Override
  public Method afterTraining(Path runDir, TrainingData data, TimeBudget budget,
      Consumer<String> notes) throws IOException {
    Method settled = pixels.afterTraining(runDir, data, budget, notes);
    if (settled == pixels) {
      return this;
    }
    LazyMultiTask.Settings p = ((LazyMultiTask) settled).settingsValues();
    return new MixedLabels(settings.withSeeds(p.seedThreshold(), p.minSeed()));
  }

  @Override
  public double afterTrainingShare() {
    return pixels.afterTrainingShare();
  }

  @Override
  public LabelImage instancesOfCut(LabelImage classes, LabelImage cut) {
    return pixels.instancesOfCut(classes, cut);
  }

  /** The masked cross-entropy of the pixel heads plus the size and tag terms on head 0. */
  @Override
  public Objective objective(List<Task> tasks, TrainConfig config) {
    return new Terms(tasks, settings, config.seed());
  }

  /**
   * The summed terms. Public for tests, which check each term's gradient on its own
   * ({@link #size}, {@link #tags}).
   */
  public static final class Terms implements Objective {
    private final Objective pixels;
    private final SizeObjective size;
    private final GlobalWeightedPooling pooling;
    private final double tagWeight;

    Terms(List<Task> tasks, Settings settings, long seed) {
      this.pixels = Objective.pixelTargets(new MultiTaskLoss(tasks));
      this.size = new SizeObjective(settings.samples(), settings.sizeWeight(), seed);
      this.pooling = GlobalWeightedPooling.gwp(settings.r());
      this.tagWeight = settings.tagWeight();
    }

    @Override
    public NDArray loss(ai.djl.ndarray.NDList outputs, Batch batch, int round) {
      NDArray total = pixels.loss(outputs, batch, round);
      if (batch.imageLabels() == null) {
        return total;
      }
      NDArray p = outputs.head().softmax(1);                 // (N, K + 1, S, S)
      NDArray sizeTerm = size(p, batch);
      NDArray tagTerm = tags(p, batch);
      if (sizeTerm != null) {
        total = total.add(sizeTerm);
      }
      return tagTerm == null ? total : total.add(tagTerm);
    }

    /**
     * The size term of the batch, weighted, or null when no example has a size and a crop
     * holding its whole image.
     *
     * @param p (N, K + 1, S, S) head-0 probabilities
     */
    public NDArray size(NDArray p, Batch batch) {
      int n = batch.size(), labels = batch.imageLabelCount();
      double[] sizes = new double[n];
      int[][] frames = new int[n][];
      boolean any = false;
      for (int e = 0; e < n; e++) {
        float s = batch.imageLabels()[e * labels + SIZE];
        frames[e] = batch.wholeImage(e);
        sizes[e] = frames[e] == null ? Double.NaN : s;
        any |= !Double.isNaN(sizes[e]);
      }
      if (!any) {
        return null;
      }
      NDArray foreground = p.get(":, 0, :, :").neg().add(1);   // (N, S, S)
      return SizeObjective.term(foreground,
          size.sizeStep(foreground.toFloatArray(), n, batch.crop(), sizes, frames));
    }

    /**
     * The tag term of the batch, weighted, or null when no tag counts: an absent class in
     * any crop, a present one only in a crop holding the whole image.
     *
     * @param p (N, K + 1, S, S) head-0 probabilities
     */
    public NDArray tags(NDArray p, Batch batch) {
      int n = batch.size(), labels = batch.imageLabelCount();
      int classes = (int) p.getShape().get(1) - 1;
      float[] tags = new float[n * classes];
      boolean any = false;
      for (int e = 0; e < n; e++) {
        for (int k = 0; k < classes; k++) {
          float t = FIRST_TAG + k < labels ? batch.imageLabels()[e * labels + FIRST_TAG + k]
              : Float.NaN;
          if (t > 0 && batch.wholeImage(e) == null) {
            t = Float.NaN;
          }
          tags[e * classes + k] = t;
          any |= !Float.isNaN(t);
        }
      }
      if (!any) {
        return null;
      }
      NDArray pooled = pooling.pool(p.get(":, 1:, :, :"));   // (N, K)
      return TagLosses.binaryCrossEntropy(pooled, tags).mul((float) tagWeight);
    }
  }
}
