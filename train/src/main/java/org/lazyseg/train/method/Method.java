package org.lazyseg.train.method;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Probabilities;
import org.lazyseg.core.weak.SeparationCut;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.engine.RoundHook;
import org.lazyseg.train.engine.RoundOptimizer;
import org.lazyseg.train.engine.TimeBudget;
import org.lazyseg.train.loss.Objective;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * A training method: which tasks the network learns and how a sample's labels become
 * per-task targets. The engine, network and prediction are shared; a method only decides
 * what the heads learn from. Head 0 is always the segmentation that prediction returns.
 */
public interface Method {

  /** The name used on the command line ({@code --method NAME}). */
  String name();

  /** One line for {@code --help}. */
  String description();

  /** The settings this method takes as {@code -O key=value}; the default is none. */
  default List<Setting> settings() {
    return List.of();
  }

  /**
   * A method like this one with these settings ({@code -O} text), parsed and checked against
   * {@link #settings}; methods are found with their defaults ({@link Methods}) and configured
   * here. The default takes no settings.
   *
   * @throws IllegalArgumentException for an unknown key or a value not allowed
   */
  default Method configure(Map<String, String> options) {
    OptionValues.parse(name(), settings(), options);
    return this;
  }

  /**
   * This method with every setting that depends on the training data settled (e.g. whether to
   * learn separation when some images have scribbles). Called once, before anything else, by
   * the trainer; the returned method is the one trained and recorded. The default keeps this.
   */
  default Method forData(TrainingSet data) {
    return this;
  }

  /** The tasks, head 0 first; {@code classes} is the number of foreground classes K. */
  List<Task> tasks(int classes);

  /**
   * The per-task targets of one training image (entries may be null: label missing), or
   * null when the image gives this method nothing to learn from. An image has a strong mask
   * only when it belongs to the strongly labelled subset.
   */
  LabelImage[] targets(LabeledImage image, int classes);

  /**
   * Per-image labels that are not pixels (an object size, one tag per class), or null.
   * An image with image labels is trained on even when {@link #targets} gives nothing.
   */
  default float[] imageLabels(LabeledImage image, int classes) {
    return null;
  }

  /**
   * Whether a training crop of {@code config} can give {@code example} a loss; examples that
   * cannot are left out of the batches, where they would only take the place of one that can.
   * True unless a method's labels need more of the image than a crop holds.
   */
  default boolean learnsFrom(Example example, TrainConfig config) {
    return true;
  }

  /** The network's shape: {@link org.lazyseg.train.ModelSpec#UNET} unless the method needs another. */
  default String network() {
    return org.lazyseg.train.ModelSpec.UNET;
  }

  /**
   * What each step minimises under {@code config} (the config after {@link #adjust}); null
   * means the masked cross-entropy of {@link #tasks}.
   */
  default Objective objective(List<Task> tasks, TrainConfig config) {
    return null;
  }

  /**
   * The image as the network sees it in training and validation; the default is the image
   * unchanged. A method that works at a lower resolution (object sizes) scales it here, its
   * {@link #targets} to match, and its {@link #segment} back.
   */
  default FloatImage loadImage(LabeledImage image) {
    return image.image();
  }

  /**
   * A method to train first, or null. When set, {@link TrainingJob} trains it into
   * {@code RUN/pretrain} on the same selection (e.g. the strong masks alone, paper 002), and
   * this method then starts from that run's best checkpoint instead of random weights. Both
   * phases resume; once the second has a checkpoint, the first is final.
   */
  default Method pretraining() {
    return null;
  }

  /**
   * Adam's learning rate and restarts in each round (after {@link #adjust}); the default is
   * the config's rate and one Adam state throughout.
   */
  default RoundOptimizer roundOptimizer(int round, TrainConfig config) {
    return RoundOptimizer.SAME;
  }

  /**
   * Called between rounds (e.g. to re-label the training images), or null; {@code config} is
   * the config after {@link #adjust}.
   */
  default RoundHook roundHook(TrainingData data, Path runDir, TrainConfig config) {
    return null;
  }

  /**
   * Runs once the network is trained (also when a finished run is started again), before
   * the run's record is written for the last time, and returns the method to record: this
   * one, or a copy with a prediction setting settled on the training images (reported in its
   * {@link #options}). Work whose time can shrink (a seed search over fewer images) stops by
   * {@code budget}'s end ({@link TimeBudget#NONE}: no limit), falls back to what needs no
   * search when nothing fits, and says so in one line to {@code notes}. The default returns
   * this.
   */
  default Method afterTraining(Path runDir, TrainingData data, TimeBudget budget,
      Consumer<String> notes) throws java.io.IOException {
    return this;
  }

  /**
   * The share of the time left when training starts that a time-limited run keeps for
   * {@link #afterTraining} (the training loop plans its steps to end before it); 0 for a
   * method with nothing to do after training, the default.
   */
  default double afterTrainingShare() {
    return 0;
  }

  /**
   * The method's own constraints on a profile's settings (e.g. whole images instead of
   * crops when labels describe the whole image); the default keeps the config.
   */
  default TrainConfig adjust(TrainConfig config) {
    return config;
  }

  /**
   * The method's settings as text (e.g. {@code lambda=0.1}), recorded with each run so
   * that prediction rebuilds the same method; see {@link Methods#create}.
   */
  default Map<String, String> options() {
    return Map.of();
  }

  /**
   * Instances from the class image and the separation head's probabilities (null when the
   * network has none): {@link #instancesOfCut} of the cut at {@link #interfaceThreshold}.
   */
  default LabelImage instances(LabelImage classes, float[][] separation) {
    return instancesOfCut(classes, separation == null ? null
        : SeparationCut.cut(classes, separation, interfaceThreshold()));
  }

  /** A pixel is an interface where the separation head's probability exceeds this. */
  default double interfaceThreshold() {
    return SeparationCut.INTERFACE_THRESHOLD;
  }

  /**
   * Instances from the class image and its {@link SeparationCut#cut cut} (the foreground
   * minus the interface pixels, 0/1; null when the network has no separation head), which
   * may be overwritten. The default is the plain cut (docs/methods.md, Separation cut): the
   * cut's components, labelled in its own array.
   */
  default LabelImage instancesOfCut(LabelImage classes, LabelImage cut) {
    return SeparationCut.pieces(classes, cut);
  }

  /**
   * Segments one image with a network this method trained. The default takes the argmax of
   * head 0 and cuts instances apart along a "separation" head if the network has one
   * ({@link #instances}).
   */
  default Segmentation segment(Predictor predictor, FloatImage image) {
    int separation = predictor.spec().headOf(LazyMultiTask.SEPARATION);
    int[] heads = separation >= 0 ? new int[] {0, separation} : new int[] {0};
    float[][][] p = predictor.probabilities(image, heads);
    LabelImage classes = Probabilities.argmax(p[0], image.width(), image.height());
    return new Segmentation(classes, instances(classes, separation >= 0 ? p[1] : null), p[0]);
  }

  /**
   * The class and instance ids of {@link #segment(Predictor, FloatImage)}, bit for bit, with
   * no probability plane of the whole image: the network's output is decoded band by band of
   * rows as {@link Predictor#stream} hands it over. The result's probabilities are null;
   * {@code foreground}, when not null (width x height values), receives
   * {@link Segmentation#foregroundProbability}. The default (argmax of head 0, the cut
   * along a separation head) keeps a band of probabilities, the class image and the cut,
   * which becomes the instance image. A method whose decoding needs more than a pixel's own
   * probabilities overrides this and says in docs/methods.md what it keeps.
   */
  default Segmentation segmentInBands(Predictor predictor, FloatImage image,
      float[] foreground) {
    int[] heads = pixelHeads(predictor);
    return Bands.argmaxAndCut(this, predictor, image, heads[0], heads[1], foreground);
  }

  /**
   * When {@link #segmentInBands} decides each pixel from that pixel's probabilities alone
   * and only then looks at the whole image: {@code {classHead, separationHead}} (-1: no
   * separation head) of that decoding, the argmax of the first and the
   * {@link SeparationCut#cut cut} along the second, followed by {@link #instancesOfCut}
   * of the whole image. A region's class ids and cut are then those of the whole image
   * (see {@link Bands#argmaxAndCut(Method, Predictor, FloatImage, int, int, float[],
   * LabelImage, LabelImage)}), so a front end may decode an image region by region and
   * finish it whole (Spark does). Null for a method that decodes otherwise; such a method
   * overrides {@link #segmentInBands}. The default: head 0 and the separation head.
   */
  default int[] pixelHeads(Predictor predictor) {
    return new int[] {0, predictor.spec().headOf(LazyMultiTask.SEPARATION)};
  }

  /**
   * The pixel-by-pixel part of {@link #segmentInBands} for a method whose
   * {@link #pixelHeads} are not null: class ids into {@code classes} and the cut into
   * {@code cut} (null, and left alone, without a separation head), both of the size of
   * {@code image} (a window's crop for a {@link Predictor#window} view).
   */
  default void classesAndCut(Predictor predictor, FloatImage image, float[] foreground,
      LabelImage classes, LabelImage cut) {
    int[] heads = pixelHeads(predictor);
    if (heads == null) {
      throw new UnsupportedOperationException(name() + " does not decode pixel by pixel");
    }
    Bands.argmaxAndCut(this, predictor, image, heads[0], heads[1], foreground, classes,
        heads[1] >= 0 ? cut : null);
  }

  /** A class-id image: positive values of a single-class label become class 1. */
  static LabelImage asClasses(LabelImage labels, int classes) {
    if (classes > 1) {
      return labels;
    }
    int[] d = labels.data();
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = d[i] > 0 ? 1 : 0;
    }
    return new LabelImage(labels.width(), labels.height(), out);
  }
}
