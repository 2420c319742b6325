package org.lazyseg.train.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Probabilities;
import org.lazyseg.core.ops.Resize;
import org.lazyseg.core.weak.SeparationCut;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Augmentation;
import org.lazyseg.train.loss.Objective;
import org.lazyseg.train.loss.SizeObjective;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * Learning to segment from object sizes (paper 002; docs/methods.md, Object sizes): one binary map
 * (head 0, two classes), pre-trained with cross-entropy on the strong masks, then fine-tuned on the
 * images that carry only a size (sizes.csv), through stochastic binarisation and the exact
 * flip estimate of {@link SizeObjective}; strong images of the fine-tuning batches keep their
 * cross-entropy term.
 *
 * <p><b>Two phases, two runs.</b> {@link #pretraining()} is this method with
 * {@code phase=pretrain} (strong masks only, the engine's cross-entropy), trained by
 * {@link TrainingJob} into {@code RUN/pretrain}; the fine-tuning run {@code RUN} starts from
 * its best checkpoint. Chosen over rounds of one run because batches draw uniformly from the
 * examples: a strong-only round 0 would waste most of every batch on size images when few
 * images are strong. Each phase is an ordinary run folder, so each resumes on its own, and
 * the pre-trained network stays there to compare with.
 *
 * <p><b>Whole images, downscaled.</b> A size describes a whole image, so each training crop is
 * the whole image (padding outside it counts as background), turned by flips and 90-degree
 * turns only (rescaling or free rotation would change the size). For speed, images whose
 * longer side exceeds {@code side} are shrunk (pixel-area averaging) so that it equals
 * {@code side}; strong masks and sizes are shrunk with them ({@link LabeledImage#scaled}:
 * area fraction >= 1/2, {@link LabeledImage#scaledObjectSize}), and {@link #segment} shrinks
 * the image the same way and scales the probabilities back up (bilinear). Crops are {@code side}
 * rounded up to a multiple of 32. HC18 (800 x 540) at side 256 trains on 256 x 173.
 *
 * <p>Options: {@code samples} (n, default 1: the paper's), {@code side} (default 256),
 * {@code weight} of the size term (default 1), {@code lr}, the fine-tuning phase's Adam rate
 * (default a tenth of the profile's [R]: at the profile's own rate, 1e-3, a few dozen size
 * steps wrecked a briefly pre-trained HC18 network; at 1e-4 they improved a better one), {@code phase}
 * (finetune, or pretrain for the first phase on its own).
 */
public final class ObjectSizes implements Method {
  public static final String NAME = "sizes";
  /** Head-0 target of the pixels of a size-only image: they are image, but unlabelled. */
  public static final int SIZE_ONLY = 2;

  private final int samples;
  private final int side;
  private final double weight;
  private final double learningRate;
  private final boolean pretrainOnly;

  /**
   * @param learningRate Adam rate of the fine-tuning phase; 0 = a tenth of the profile's
   */
  public ObjectSizes(int samples, int side, double weight, double learningRate,
      boolean pretrainOnly) {
    if (samples < 1) {
      throw new IllegalArgumentException("method 'sizes': samples must be >= 1, got " + samples);
    }
    if (side < 8) {
      throw new IllegalArgumentException("method 'sizes': side must be >= 8, got " + side);
    }
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("method 'sizes': weight must be >= 0, got " + weight);
    }
    this.samples = samples;
    this.side = side;
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("method 'sizes': lr must be >= 0, got " + learningRate);
    }
    this.weight = weight;
    this.learningRate = learningRate;
    this.pretrainOnly = pretrainOnly;
  }

  public ObjectSizes() {
    this(1, 256, 1.0, 0, false);
  }

  private static final double DEFAULT_WEIGHT = 1;

  static final List<Setting> SETTINGS = List.of(
      Setting.integer("samples", 1, 1, Integer.MAX_VALUE, "samples of the stochastic"
          + " binarisation per image and step (the paper: 1)"),
      Setting.integer("side", 256, 8, Integer.MAX_VALUE, "images are shrunk so that their"
          + " longer side is at most this"),
      Setting.number("weight", DEFAULT_WEIGHT, 0, Double.POSITIVE_INFINITY, "weight of the size term"),
      Setting.number("lr", 0, 0, Double.POSITIVE_INFINITY, "Adam rate of the fine-tuning"
          + " phase (0 = a tenth of the profile's)"),
      Setting.choice("phase", "finetune", List.of("finetune", "pretrain"), "finetune: both"
          + " phases; pretrain: the first phase (strong masks) alone"));

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public ObjectSizes configure(Map<String, String> options) {
    OptionValues v = OptionValues.parse(NAME, SETTINGS, options);
    return new ObjectSizes(v.integer("samples"), v.integer("side"), v.number("weight"),
        v.number("lr"), v.text("phase").equals("pretrain"));
  }


  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "one object size per image (paper 002): pre-train on strong masks, fine-tune on sizes";
  }

  @Override
  public Map<String, String> options() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("samples", Integer.toString(samples));
    o.put("side", Integer.toString(side));
    o.put("weight", Double.toString(weight));
    if (learningRate > 0) {
      o.put("lr", Double.toString(learningRate));
    }
    o.put("phase", pretrainOnly ? "pretrain" : "finetune");
    return o;
  }

  public int samples() { return samples; }

  public int side() { return side; }

  @Override
  public List<Task> tasks(int classes) {
    if (classes != 1) {
      throw new IllegalArgumentException("method 'sizes' segments one foreground class; the"
          + " dataset lists " + classes);
    }
    return List.of(Task.of(Supervised.SEGMENTATION, 2));
  }

  /** The scale factor for an image: shrink so that the longer side is {@code side}, never enlarge. */
  public static double scale(int width, int height, int side) {
    return Math.min(1.0, (double) side / Math.max(width, height));
  }

  @Override
  public FloatImage loadImage(LabeledImage sample) {
    return shrunk(sample).image();
  }

  /** The sample as training sees it: shrunk so that its longer side is at most {@code side}. */
  private LabeledImage shrunk(LabeledImage sample) {
    int[] wh = sample.size();
    return sample.scaled(scale(wh[0], wh[1], side));
  }

  private FloatImage shrink(FloatImage image) {
    return Resize.scaled(image, scale(image.width(), image.height(), side));
  }

  @Override
  public LabelImage[] targets(LabeledImage sample, int classes) {
    if (sample.has(LabeledImage.Kind.MASK)) {
      return new LabelImage[] {shrunk(sample).mask().orElseThrow().foreground()};
    }
    if (pretrainOnly || sample.objectSize().isEmpty()) {
      return null;
    }
    int[] to = shrunk(sample).size();
    LabelImage marker = new LabelImage(to[0], to[1]);
    java.util.Arrays.fill(marker.data(), SIZE_ONLY);
    return new LabelImage[] {marker};
  }

  @Override
  public float[] imageLabels(LabeledImage sample, int classes) {
    OptionalDouble size = sample.objectSize();
    if (pretrainOnly || sample.has(LabeledImage.Kind.MASK) || size.isEmpty()) {
      return null;
    }
    return new float[] {(float) shrunk(sample).objectSize().getAsDouble()};
  }

  /** Fine-tuning: cross-entropy plus the size term; pre-training: the engine's cross-entropy. */
  @Override
  public Objective objective(List<Task> tasks, TrainConfig config) {
    return pretrainOnly ? null : new SizeObjective(samples, weight, 0);
  }

  /**
   * The first phase, which has no size term: its weight is the default whatever this one's, so
   * that runs differing only in the weight share one pre-training (a resume compares the
   * settings a run started with, and the experiments copy a pre-training between such runs).
   */
  @Override
  public Method pretraining() {
    return pretrainOnly ? null : new ObjectSizes(samples, side, DEFAULT_WEIGHT, 0, true);
  }

  /**
   * Whole (shrunk) images as crops, flips and 90-degree turns only, validation in one tile;
   * fine-tuning at the {@code lr} option or a tenth of the profile's rate.
   */
  @Override
  public TrainConfig adjust(TrainConfig config) {
    int crop = (side + 31) / 32 * 32;
    Augmentation a = config.effectiveAugmentation();
    TrainConfig.Builder b = config.toBuilder().setCrop(crop)
        .setAugmentation(new Augmentation(a.flips(), a.rotate90(), 0, 1, 1))
        .optValidationTile(crop);
    if (!pretrainOnly) {
      b.setLearningRate(learningRate > 0 ? learningRate : config.learningRate() / 10);
    }
    return b.build();
  }

  /** Decodes otherwise: see {@link #segmentInBands}. */
  @Override
  public int[] pixelHeads(Predictor predictor) {
    return null;
  }

  /**
   * {@link #segment} as it is: the bilinear scaling back needs the shrunk image's probability
   * planes whole, and gives the two planes of the full size that the argmax reads.
   */
  @Override
  public Segmentation segmentInBands(Predictor predictor, FloatImage image,
      float[] foreground) {
    return Bands.whole(this, predictor, image, foreground);
  }

  /** Shrinks the image as in training, predicts head 0, scales the probabilities back. */
  @Override
  public Segmentation segment(Predictor predictor, FloatImage image) {
    FloatImage small = shrink(image);
    float[][] p = predictor.probabilities(small, 0);
    int w = image.width(), h = image.height();
    float[][] full = new float[p.length][];
    for (int c = 0; c < p.length; c++) {
      full[c] = Resize.plane(p[c], small.width(), small.height(), w, h);
    }
    LabelImage classes = Probabilities.argmax(full, w, h);
    return new Segmentation(classes, SeparationCut.instances(classes, null), full);
  }
}
