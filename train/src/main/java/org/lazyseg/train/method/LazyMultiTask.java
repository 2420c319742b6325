package org.lazyseg.train.method;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;
import org.lazyseg.core.weak.FarBackground;
import org.lazyseg.core.weak.SeedThreshold;
import org.lazyseg.core.weak.SeparationCut;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.engine.TimeBudget;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * The three tasks of the lazy-labels paper (docs/methods.md, Multi-task) on one network:
 * segmentation from the few strong masks, detection from partial masks (classes plus "rest"), and
 * separation from scribbles on the interfaces of touching objects. The loss of a task an
 * image lacks drops out. By default the heads share one U-Net decoder; option
 * {@code network=multitask-decoder} builds the paper's multi-task blocks
 * ({@link org.lazyseg.train.nn.MultiTaskUNet}) on the same targets.
 */
public final class LazyMultiTask implements Method {
  public static final String DETECTION = "detection";
  public static final String SEPARATION = "separation";

  /**
   * Default share of each batch drawn from the strongly labelled images: 0, uniform draws as
   * in the paper. At 8 strong of 85 GlaS images that feeds the segmentation head 0.75 crops a
   * batch; half a batch (0.5) was tried and scored lower on the test images (see
   * BENCHMARKS.md), so it stays an option.
   */
  public static final double STRONG_SHARE = 0;

  /**
   * Default weight of an interface pixel against a non-interface one in the separation
   * loss: 20, not the paper's plain mean (1). Interfaces are about 1 pixel in 1000 (DSB2018
   * scribbles), and under the plain mean the head hardly ever predicted one; at 20 it fires,
   * on the interfaces and elsewhere, which {@link #MIN_PIECE} and the low
   * {@link #INTERFACE_THRESHOLD} turn into cuts. It gave a lower test count error than
   * weight 1 and than no separation task; see BENCHMARKS.md.
   */
  public static final double SEPARATION_WEIGHT = 20;

  /**
   * Default interface threshold of the prediction: 0.1, chosen by count error on the DSB2018
   * validation images of a weight-20 run (bench/interface_threshold; see BENCHMARKS.md).
   */
  public static final double INTERFACE_THRESHOLD = 0.1;

  /**
   * Default least area (pixels) of a piece the interfaces cut off to count as an object of
   * its own: 32, chosen with {@link #INTERFACE_THRESHOLD}; smaller pieces grow back into
   * their neighbours ({@link SeparationCut#instances(LabelImage, float[][], double, int)}).
   */
  public static final int MIN_PIECE = 32;

  /**
   * Default reach (in core radii, see {@link FarBackground}) beyond which the partial mask of
   * a weakly labelled image calls a pixel background for the segmentation head: 0, off.
   */
  public static final double FAR_BACKGROUND = 0;

  /**
   * Read-outs of the trained heads ({@link #segment}): "split", the segmentation head's
   * surest pixels (above a seed threshold) as seeds grown back inside its foreground, so
   * objects joined by a less sure neck come apart and pieces without a sure pixel are
   * dropped; "segmentation", the segmentation head's classes cut along the separation head;
   * "grow", the detection head's cores grown inside the segmentation foreground
   * ({@link SeededGrowth}), dropping pieces that hold no core; "grow-keep", the same keeping
   * those pieces. The seeds of split and grow are settled after training on the weakly
   * labelled training images' annotated cores ({@link SeededGrowth#settle}).
   */
  public static final List<String> PREDICTIONS =
      List.of("split", "segmentation", "grow", "grow-keep");

  /**
   * Default read-out: "split". Chosen on validation images carved from the GlaS training
   * split (BENCHMARKS.md, issue 31): the plain segmentation read-out joined neighbouring
   * glands (6.3 objects predicted for 8.5), the detection head's cores split glands into
   * several; split seeds kept them apart and whole. An unsettled split (a run without weakly
   * labelled images, or one recorded before split existed) reads out as "segmentation".
   */
  public static final String PREDICTION = "split";

  /**
   * Default of {@code pseudo-labels}: true. The segmentation head then learns from 85
   * (GrabCut) masks instead of 8 on GlaS at 9.4% strong; with the split read-out it scored
   * object Dice 0.727 against 0.679 without on the same validation images (BENCHMARKS.md).
   */
  public static final boolean PSEUDO_LABELS = true;

  private final Settings settings;

  /** All three tasks on one U-Net decoder. */
  public LazyMultiTask() {
    this(true, ModelSpec.UNET);
  }

  public LazyMultiTask(boolean separation, String network) {
    this(new Settings(separation, network, STRONG_SHARE, SEPARATION_WEIGHT, INTERFACE_THRESHOLD,
        MIN_PIECE, FAR_BACKGROUND, PSEUDO_LABELS, PREDICTION, Double.NaN, 0));
  }

  /**
   * The method's settings.
   *
   * @param separation whether to learn the separation task (without it, instances are the
   *     components of the segmentation: the ablation of the paper's separation task)
   * @param network {@link ModelSpec#UNET}: heads on one shared decoder (cheapest);
   *     {@link ModelSpec#MULTITASK_DECODER}: the paper's multi-task blocks
   * @param strongShare share of each batch drawn from the strongly labelled images (0:
   *     uniformly from all, as the paper)
   * @param separationWeight weight of an interface pixel in the separation loss (1: plain mean)
   * @param interfaceThreshold prediction: a pixel is an interface where its probability
   *     exceeds this
   * @param minPiece prediction: least area of a piece cut off by interfaces to be an object
   * @param farBackground 0: the segmentation head learns from the strong masks alone; R &gt; 0:
   *     also from the partial masks of the other images, their cores as objects and the
   *     pixels farther than R core radii (plus {@link FarBackground#MARGIN} pixels) from
   *     every core as background ({@link FarBackground})
   * @param pseudoLabels false: as above; true: the segmentation head also learns from the
   *     GrabCut pseudo masks of the weakly labelled images (those of the pseudo-label
   *     baseline, {@link PseudoLabelTraining}); not with {@code farBackground}
   * @param prediction the read-out, one of {@link #PREDICTIONS}
   * @param seedThreshold "grow": seeds where the detection head's foreground probability
   *     exceeds this; NaN ("auto") = chosen after training on the weakly labelled training
   *     images against their annotated cores ({@link SeededGrowth#settle})
   * @param minSeed "grow": seeds of fewer pixels are dropped (settled with an auto threshold)
   */
  public record Settings(boolean separation, String network, double strongShare,
      double separationWeight, double interfaceThreshold, int minPiece, double farBackground,
      boolean pseudoLabels, String prediction, double seedThreshold, int minSeed) {
    public Settings {
      if (!PREDICTIONS.contains(prediction)) {
        throw new IllegalArgumentException("prediction must be one of " + PREDICTIONS
            + ", not '" + prediction + "'");
      }
      if (!Double.isNaN(seedThreshold) && !(seedThreshold > 0 && seedThreshold < 1)) {
        throw new IllegalArgumentException(
            "seed-threshold must be auto or a number in (0, 1), not " + seedThreshold);
      }
      if (minSeed < 0) {
        throw new IllegalArgumentException("min-seed must be >= 0, not " + minSeed);
      }
      if (!(strongShare >= 0 && strongShare <= 1)) {
        throw new IllegalArgumentException("strong-share must be in [0, 1], not " + strongShare);
      }
      if (!(separationWeight > 0)) {
        throw new IllegalArgumentException(
            "separation-weight must be > 0, not " + separationWeight);
      }
      if (!(interfaceThreshold > 0 && interfaceThreshold < 1)) {
        throw new IllegalArgumentException("interface-threshold must be in (0, 1), not "
            + interfaceThreshold);
      }
      if (minPiece < 0) {
        throw new IllegalArgumentException("min-piece must be >= 0, not " + minPiece);
      }
      if (!(farBackground >= 0) || Double.isInfinite(farBackground)) {
        throw new IllegalArgumentException("far-background must be a number >= 0, not "
            + farBackground);
      }
      if (pseudoLabels && farBackground > 0) {
        throw new IllegalArgumentException(
            "pseudo-labels and far-background both give the segmentation head targets; choose one");
      }
    }
  }

  public LazyMultiTask(Settings settings) {
    this.settings = settings;
  }

  /**
   * Options: {@code separation=true|false} (default true), {@code network=unet|multitask-decoder}
   * (default unet), {@code strong-share=F} (default {@value #STRONG_SHARE}),
   * {@code separation-weight=W} (weight of an interface pixel in the separation loss, default
   * {@value #SEPARATION_WEIGHT}; 1 is the paper's plain mean), {@code interface-threshold=T}
   * (prediction: interface where its probability exceeds T, default
   * {@value #INTERFACE_THRESHOLD}), {@code min-piece=A} (prediction: least area of a cut-off
   * piece, default {@value #MIN_PIECE} pixels), {@code far-background=R} (the segmentation
   * head also learns from partial masks: cores as objects, pixels beyond R core radii from
   * every core as background; 0 = off; default {@value #FAR_BACKGROUND}),
   * {@code pseudo-labels=true|false} (the segmentation head also learns from the GrabCut
   * pseudo masks of the weakly labelled images; default {@value #PSEUDO_LABELS}, off when
   * far-background is given), {@code prediction=split|segmentation|grow|grow-keep} (the
   * read-out, default {@value #PREDICTION}), {@code seed-threshold=T|auto} and
   * {@code min-seed=A} (its seeds; auto = settled after training).
   */
  @Override
  public LazyMultiTask configure(Map<String, String> options) {
    OptionValues v = OptionValues.parse(name(), SETTINGS, options);
    double far = v.number("far-background");
    // Far background and pseudo masks both feed the segmentation head: asking for the first
    // turns the default of the second off (both given: the Settings check refuses).
    boolean pseudo = options.containsKey("pseudo-labels") || far == 0
        ? v.bool("pseudo-labels") : false;
    return new LazyMultiTask(new Settings(v.bool("separation"), v.text("network"),
        v.number("strong-share"), v.number("separation-weight"),
        v.number("interface-threshold"), v.integer("min-piece"), far, pseudo,
        v.text("prediction"), v.number("seed-threshold"), v.integer("min-seed")));
  }

  static final List<Setting> SETTINGS = List.of(
      Setting.bool("separation", true, "learn the separation task from scribbles (false: the"
          + " paper's ablation; instances are then the segmentation's components)"),
      Setting.choice("network", ModelSpec.UNET, List.of(ModelSpec.UNET,
          ModelSpec.MULTITASK_DECODER), "heads on one shared U-Net decoder, or the paper's"
          + " multi-task decoder blocks"),
      Setting.number("strong-share", STRONG_SHARE, 0, 1, "share of each batch drawn from the"
          + " strongly labelled images (0 = uniform draws, as the paper)"),
      Setting.number("separation-weight", SEPARATION_WEIGHT, 0, Double.POSITIVE_INFINITY,
          "weight of an interface pixel in the separation loss (1 = the paper's plain mean)")
          .aboveMin(),
      Setting.number("interface-threshold", INTERFACE_THRESHOLD, 0, 1, "prediction: cut"
          + " objects where the interface probability exceeds this").aboveMin().belowMax(),
      Setting.integer("min-piece", MIN_PIECE, 0, Integer.MAX_VALUE, "prediction: a piece cut"
          + " off smaller than this (pixels) grows back into its neighbours"),
      Setting.number("far-background", FAR_BACKGROUND, 0, Double.POSITIVE_INFINITY, "the"
          + " segmentation head also learns from partial masks: cores as objects, pixels beyond"
          + " R core radii + 5 px from every core as background (0 = off)"),
      Setting.bool("pseudo-labels", PSEUDO_LABELS, "the segmentation head also learns from the"
          + " GrabCut pseudo masks of the weakly labelled images (not with far-background)"),
      Setting.choice("prediction", PREDICTION, PREDICTIONS, "read-out: split = the"
          + " segmentation's surest pixels grown back inside it (joined objects come apart);"
          + " segmentation = the segmentation head cut along the separation head; grow /"
          + " grow-keep = the detection head's cores grown inside the segmentation"),
      Setting.number("seed-threshold", Double.NaN, 0, 1, "split and grow: seeds where the"
          + " head's foreground probability exceeds this (auto: chosen after training on the"
          + " weak images' annotated cores)").aboveMin().belowMax().orWord("auto", Double.NaN),
      Setting.integer("min-seed", 0, 0, Integer.MAX_VALUE, "split and grow: seeds of fewer"
          + " pixels are dropped (settled with an auto seed threshold)"));

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  /** This instance's values of its settings. */
  public Settings settingsValues() {
    return settings;
  }

  /** One of {@link #SETTINGS} by name (the mixed-labels method shares the read-out's). */
  static Setting setting(String name) {
    return SETTINGS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Override
  public Map<String, String> options() {
    Map<String, String> o = new java.util.TreeMap<>();
    if (!settings.separation()) {
      o.put("separation", "false");
    }
    if (!settings.network().equals(ModelSpec.UNET)) {
      o.put("network", settings.network());
    }
    if (settings.strongShare() != STRONG_SHARE) {
      o.put("strong-share", Double.toString(settings.strongShare()));
    }
    if (settings.separation() && settings.separationWeight() != SEPARATION_WEIGHT) {
      o.put("separation-weight", Double.toString(settings.separationWeight()));
    }
    if (settings.separation() && settings.interfaceThreshold() != INTERFACE_THRESHOLD) {
      o.put("interface-threshold", Double.toString(settings.interfaceThreshold()));
    }
    if (settings.separation() && settings.minPiece() != MIN_PIECE) {
      o.put("min-piece", Integer.toString(settings.minPiece()));
    }
    if (settings.farBackground() != FAR_BACKGROUND) {
      o.put("far-background", Double.toString(settings.farBackground()));
    }
    // Always recorded: a run recorded before these defaults changed has neither and
    // trained without pseudo masks.
    o.put("pseudo-labels", Boolean.toString(settings.pseudoLabels()));
    o.put("prediction", settings.prediction());
    if (!Double.isNaN(settings.seedThreshold())) {
      o.put("seed-threshold", Double.toString(settings.seedThreshold()));
    }
    if (settings.minSeed() != 0) {
      o.put("min-seed", Integer.toString(settings.minSeed()));
    }
    return o;
  }

  @Override
  public double interfaceThreshold() {
    return settings.interfaceThreshold();
  }

  /**
   * The regrown cut at this method's least piece area: global (it grows pieces along whole
   * components), so besides the class image it keeps three int images of its size.
   */
  @Override
  public LabelImage instancesOfCut(LabelImage classes, LabelImage cut) {
    return SeparationCut.regrown(classes, cut, settings.minPiece());
  }

  private SeedReadout readout() {
    return new SeedReadout(settings.prediction(), settings.seedThreshold(), settings.minSeed());
  }

  /**
   * The read-out of {@link Settings#prediction}; "segmentation" for a network without the
   * head grow needs and for a split whose seeds were never settled.
   */
  @Override
  public Segmentation segment(Predictor predictor, FloatImage image) {
    return readout().grows(predictor) ? readout().growth().segment(predictor, image)
        : Method.super.segment(predictor, image);
  }

  /** "grow" needs the whole image's seeds and foreground: null. */
  @Override
  public int[] pixelHeads(Predictor predictor) {
    return readout().grows(predictor) ? null : Method.super.pixelHeads(predictor);
  }

  @Override
  public Segmentation segmentInBands(Predictor predictor, FloatImage image,
      float[] foreground) {
    return readout().grows(predictor)
        ? readout().growth().segmentInBands(predictor, image, foreground)
        : Method.super.segmentInBands(predictor, image, foreground);
  }

  /**
   * Settles an "auto" seed threshold of the grow read-outs on the weakly labelled training
   * images ({@link SeededGrowth#settle}, which stops by the budget's end); nothing to do
   * otherwise.
   */
  @Override
  public Method afterTraining(Path runDir, TrainingData data, TimeBudget budget,
      Consumer<String> notes) throws IOException {
    SeedReadout settled = readout().settle(runDir, data, budget, notes);
    if (settled.equals(readout())) {
      return this;
    }
    Settings s = settings;
    return new LazyMultiTask(new Settings(s.separation(), s.network(), s.strongShare(),
        s.separationWeight(), s.interfaceThreshold(), s.minPiece(), s.farBackground(),
        s.pseudoLabels(), s.prediction(), settled.seedThreshold(), settled.minSeed()));
  }

  @Override
  public double afterTrainingShare() {
    return readout().afterTrainingShare();
  }

  /**
   * Default of {@code train --anneal}: the last quarter of the epochs at a falling rate, as
   * for {@link RecursiveApproximation#ANNEAL}. Chosen on GlaS validation images
   * (BENCHMARKS.md, issue 31): at a constant rate the last checkpoint, which a run without
   * validation images keeps, scored below the best epoch; annealed, close to it. The
   * {@code lazy} method, whose pixel heads are this method's, inherits it.
   */
  static final double ANNEAL = RecursiveApproximation.ANNEAL;

  @Override
  public TrainConfig adjust(TrainConfig config) {
    return config.withDefaultAnneal(ANNEAL).toBuilder().optStrongShare(settings.strongShare())
        .build();
  }

  @Override
  public String network() {
    return settings.network();
  }

  @Override
  public String name() {
    return "multitask";
  }

  @Override
  public String description() {
    return "segmentation (strong masks) + detection (partial masks) + separation (scribbles)";
  }

  @Override
  public List<Task> tasks(int classes) {
    Task segmentation = Task.of(Supervised.SEGMENTATION, classes + 1);
    Task detection = Task.of(DETECTION, classes + 1);
    return settings.separation() ? List.of(segmentation, detection,
        Task.of(SEPARATION, 2).withForegroundWeight(settings.separationWeight()))
        : List.of(segmentation, detection);
  }

  @Override
  public LabelImage[] targets(LabeledImage sample, int classes) {
    LabelImage segmentation = sample.mask().orElse(null);
    LabelImage partial = sample.partial().orElse(null);
    LabelImage detection = partial != null ? Method.asClasses(partial, classes) : null;
    if (segmentation == null && partial != null && settings.farBackground() > 0) {
      segmentation = FarBackground.target(cores(partial, classes), detection,
          settings.farBackground(), FarBackground.MARGIN);
    }
    if (segmentation == null && settings.pseudoLabels()) {
      segmentation = PseudoLabelTraining.pseudoMask(sample, partial, classes);
    }
    // In an image with scribbles every unmarked pixel counts as "not interface"
    // (docs/methods.md, Labels).
    LabelImage scribbles = settings.separation() ? sample.scribbles().orElse(null) : null;
    if (segmentation == null && detection == null && scribbles == null) {
      return null;
    }
    return settings.separation() ? new LabelImage[] {segmentation, detection, scribbles}
        : new LabelImage[] {segmentation, detection};
  }

  /** Whether some training image of {@code data} has a scribble pixel. */
  static boolean anyScribblePixel(org.lazyseg.core.data.TrainingSet data) {
    return data.train().stream()
        .anyMatch(i -> i.scribbles().map(s -> s.max() > 0).orElse(false));
  }

  /**
   * One id per object core: a partial mask of instance ids keeps them (an object's core may
   * be islands); class ids and a single-valued mask give their 8-connected components.
   */
  static LabelImage cores(LabelImage partial, int classes) {
    return classes > 1 ? Components.label(partial, Connectivity.EIGHT)
        : Components.instances(partial);
  }
}
