package org.lazyseg.train.method;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.LazyLabels;
import org.lazyseg.core.weak.PseudoLabels;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Augmentation;
import org.lazyseg.train.engine.TimeBudget;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * The pseudo-label baseline of papers 000 and 001 ("PL"; docs/methods.md, Pseudo labels): every
 * weakly labelled image's partial mask is grown into full objects by GrabCut
 * ({@link PseudoLabels}), strong images keep their masks, and a single-task U-net trains on
 * the result. A dataset's pseudo/ masks ({@code lazyseg simulate --pseudo}) are used as they
 * are; without them the pseudo masks are computed when the examples load (GrabCut, about a
 * second per GlaS image), again on a resume.
 *
 * <p>Regions: a partial mask with several ids (instance ids of a single-class dataset) gives
 * one region per id; otherwise (class ids, or a 0/1 mask as the simulator writes for one
 * class) each 8-connected component is a region.
 *
 * <p>Read-out ({@code prediction}): the papers' argmax and its components ("segmentation"),
 * or multitask's "split" (the head's surest pixels grown back inside its foreground, the
 * seeds settled after training on the weak images' annotated cores, {@link SeedReadout}).
 *
 * <p>{@code separate-touching}: GrabCut grows neighbouring regions into each other (on GlaS
 * most pseudo masks have glands that touch, where no two annotated glands do), and a class
 * mask then joins them; with this setting the pixels where two objects of a single-class
 * pseudo mask touch ({@link LazyLabels#scribbles}) are background in the target instead.
 */
public final class PseudoLabelTraining implements Method {
  public static final String NAME = "pseudo-labels";
  /**
   * Default read-out: the papers' (argmax and components). Split was worse on GlaS validation
   * images: it broke glands apart (BENCHMARKS.md, issue 30).
   */
  static final String PREDICTION = "segmentation";

  /** Off: not better on GlaS validation images (docs/methods.md, Touching pseudo objects). */
  static final boolean SEPARATE_TOUCHING = false;

  static final List<Setting> SETTINGS = List.of(
      Setting.choice("prediction", PREDICTION, List.of("split", "segmentation"), "read-out:"
          + " split = the segmentation's surest pixels grown back inside it (joined objects"
          + " come apart); segmentation = the argmax and its connected components"),
      LazyMultiTask.setting("seed-threshold"),
      LazyMultiTask.setting("min-seed"),
      Setting.bool("separate-touching", SEPARATE_TOUCHING, "where two objects of a"
          + " single-class pseudo mask touch, the target is background (neighbours stay apart)"));

  private final SeedReadout readout;
  private final boolean separateTouching;

  public PseudoLabelTraining() {
    this(new SeedReadout(PREDICTION, Double.NaN, 0), SEPARATE_TOUCHING);
  }

  private PseudoLabelTraining(SeedReadout readout, boolean separateTouching) {
    this.readout = readout;
    this.separateTouching = separateTouching;
  }

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public PseudoLabelTraining configure(Map<String, String> options) {
    OptionValues v = OptionValues.parse(NAME, SETTINGS, options);
    return new PseudoLabelTraining(new SeedReadout(v.text("prediction"),
        v.number("seed-threshold"), v.integer("min-seed")), v.bool("separate-touching"));
  }

  /** The read-out and, once settled, its seeds; nothing at the defaults. */
  @Override
  public Map<String, String> options() {
    Map<String, String> o = new TreeMap<>();
    if (!readout.prediction().equals(PREDICTION)) {
      o.put("prediction", readout.prediction());
    }
    if (!Double.isNaN(readout.seedThreshold())) {
      o.put("seed-threshold", Setting.plain(readout.seedThreshold()));
    }
    if (readout.minSeed() != 0) {
      o.put("min-seed", Integer.toString(readout.minSeed()));
    }
    if (separateTouching != SEPARATE_TOUCHING) {
      o.put("separate-touching", Boolean.toString(separateTouching));
    }
    return o;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "U-Net on strong masks plus GrabCut pseudo masks grown from the partial masks (baseline)";
  }

  @Override
  public List<Task> tasks(int classes) {
    return List.of(Task.of(Supervised.SEGMENTATION, classes + 1));
  }

  @Override
  public LabelImage[] targets(LabeledImage image, int classes) {
    if (image.has(LabeledImage.Kind.MASK)) {
      return new LabelImage[] {image.mask().orElseThrow()};
    }
    LabelImage pseudo = separateTouching && classes == 1
        ? apart(pseudoLabel(image, null, classes)) : pseudoMask(image, null, classes);
    return pseudo == null ? null : new LabelImage[] {pseudo};
  }

  /**
   * Objects (ids) as a 0/1 class mask whose touching objects stay apart: the pixels where two
   * different ids meet ({@link LazyLabels#scribbles}, a line 2 pixels wide) are background.
   */
  static LabelImage apart(LabelImage objects) {
    if (objects == null) {
      return null;
    }
    int[] ids = objects.data();
    int[] line = LazyLabels.scribbles(objects, 1).data();
    LabelImage out = new LabelImage(objects.width(), objects.height());
    int[] o = out.data();
    for (int i = 0; i < ids.length; i++) {
      o[i] = ids[i] > 0 && line[i] == 0 ? 1 : 0;
    }
    return out;
  }

  /**
   * Default of {@code train --anneal}: the last quarter of the epochs at a falling rate,
   * chosen on GlaS validation images as {@link RecursiveApproximation#ANNEAL} was
   * (BENCHMARKS.md, issue 30).
   */
  static final double ANNEAL = RecursiveApproximation.ANNEAL;

  /**
   * Default augmentation of the crops: full (free rotation and rescaling besides flips and
   * turns), unless the profile or the user chose one. Chosen on GlaS validation images
   * carved from the training split, by the mean of two training seeds (better Dice and
   * object Dice, a little worse count error; BENCHMARKS.md, issue 30, which also shows the
   * margin to be within seed noise).
   */
  static final Augmentation AUGMENTATION = Augmentation.full();

  @Override
  public TrainConfig adjust(TrainConfig config) {
    return config.withDefaultAnneal(ANNEAL).withDefaultAugmentation(AUGMENTATION);
  }

  @Override
  public Segmentation segment(Predictor predictor, FloatImage image) {
    return readout.grows(predictor) ? readout.growth().segment(predictor, image)
        : Method.super.segment(predictor, image);
  }

  /** Split needs the whole image's seeds and foreground: null. */
  @Override
  public int[] pixelHeads(Predictor predictor) {
    return readout.grows(predictor) ? null : Method.super.pixelHeads(predictor);
  }

  @Override
  public Segmentation segmentInBands(Predictor predictor, FloatImage image,
      float[] foreground) {
    return readout.grows(predictor)
        ? readout.growth().segmentInBands(predictor, image, foreground)
        : Method.super.segmentInBands(predictor, image, foreground);
  }

  /** Settles split's auto seeds on the weakly labelled training images. */
  @Override
  public Method afterTraining(Path runDir, TrainingData data, TimeBudget budget,
      Consumer<String> notes) throws IOException {
    SeedReadout settled = readout.settle(runDir, data, budget, notes);
    return settled.equals(readout) ? this : new PseudoLabelTraining(settled, separateTouching);
  }

  @Override
  public double afterTrainingShare() {
    return readout.afterTrainingShare();
  }

  /**
   * The class image of an image's GrabCut pseudo mask: its pseudo mask when it has one, else
   * computed from its partial mask ({@code partial}, or loaded when null); null without a
   * partial mask.
   */
  static LabelImage pseudoMask(LabeledImage image, LabelImage partial, int classes) {
    LabelImage pseudo = pseudoLabel(image, partial, classes);
    return pseudo == null ? null : Method.asClasses(pseudo, classes);
  }

  /**
   * The GrabCut pseudo label of {@link #pseudoMask} before it becomes a class image: with one
   * class the objects keep ids of their own (a partial mask of ids keeps its ids, one of
   * class ids gives an id per component), with several classes it holds class ids.
   */
  private static LabelImage pseudoLabel(LabeledImage image, LabelImage partial, int classes) {
    if (image.has(LabeledImage.Kind.PSEUDO)) { // computed once by lazyseg simulate --pseudo
      return image.pseudo().orElseThrow();
    }
    if (partial == null && !image.has(LabeledImage.Kind.PARTIAL)) {
      return null;
    }
    partial = partial != null ? partial : image.partial().orElseThrow();
    if (classes > 1) {
      return PseudoLabels.pseudoMask(image.image(), null, partial, true);
    }
    return partial.max() <= 1 ? PseudoLabels.grabCut(image.image(), partial).instances()
        : PseudoLabels.pseudoMask(image.image(), null, partial, false);
  }
}
