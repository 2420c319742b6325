package org.lazyseg.train.method;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.lazyseg.core.data.DatasetException;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.data.Example;

/**
 * A method's training and validation examples, made from a {@link TrainingSet}: holds out
 * validation images when the set has none, asks the method for each image's targets, and
 * keeps the images the examples came from.
 *
 * @param train examples the network learns from
 * @param validation strong examples scored every epoch
 * @param strongIds ids of the training images that have strong masks
 * @param channels the largest channel count among the loaded images (the model's input)
 * @param images the labelled images of the training examples, by id, as trained on
 * @param truth strong masks known beyond those trained on (e.g. of the images an experiment
 *     left out of its strong subset), by id: for measurements only, never a target
 * @param scale the working scale the images and labels above were shrunk by (1: as read)
 */
public record TrainingData(List<Example> train, List<Example> validation, Set<String> strongIds,
    int channels, Map<String, LabeledImage> images, Map<String, LabeledImage> truth,
    double scale) {

  /**
   * Which images of a dataset folder to use and how: the split to train on, the seeded share
   * of its strong masks to keep, and the share of strong images to hold out for validation
   * when the dataset has no "val" split.
   */
  public record Selection(String trainSplit, double strongFraction, double validationFraction,
      long seed) {
    public Selection {
      if (!(strongFraction >= 0 && strongFraction <= 1)) {
        throw new IllegalArgumentException("strong fraction must be in [0, 1]: " + strongFraction);
      }
      if (!(validationFraction >= 0 && validationFraction < 1)) {
        throw new IllegalArgumentException("validation fraction must be in [0, 1): " + validationFraction);
      }
    }
  }

  /** Training data with no labelled images behind it (tests, benchmarks). */
  public TrainingData(List<Example> train, List<Example> validation, Set<String> strongIds,
      int channels) {
    this(train, validation, strongIds, channels, Map.of(), Map.of(), 1);
  }

  /** The strong mask of an image, where one is known (for measurements only). */
  public Optional<LabelImage> truthOf(String id) {
    LabeledImage known = truth.getOrDefault(id, images.get(id));
    return known == null ? Optional.empty() : known.mask();
  }

  /** Validation images are held out only when at least this many strong images remain. */
  static final int MIN_STRONG_FOR_HOLDOUT = 10;

  /**
   * The examples of {@code set} for {@code method}. Without validation images in the set, a
   * seeded {@code validationFraction} of the strong images is held out (only when at least
   * {@value #MIN_STRONG_FOR_HOLDOUT} remain); a held-out image the method cannot be scored on
   * (it yields no segmentation target) is trained on instead. Every image and label, the
   * truth's too, is first shrunk by {@code scale} ({@link LabeledImage#scaled}: lazily,
   * each when read).
   *
   * @param truth see the record's parameter; may be empty
   * @param scale the working scale, in (0, 1]
   */
  public static TrainingData load(TrainingSet set, Method method, double validationFraction,
      long seed, Map<String, LabeledImage> truth, double scale, ProgressCallback progress) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1): "
          + validationFraction);
    }
    if (scale != 1) {
      set = new TrainingSet(set.classNames(), scaled(set.train(), scale),
          scaled(set.validation(), scale));
      Map<String, LabeledImage> shrunk = new java.util.HashMap<>();
      truth.forEach((id, image) -> shrunk.put(id, image.scaled(scale)));
      truth = shrunk;
    }
    int classes = set.classNames().size();
    Set<String> strong = new HashSet<>(set.strongIds());
    List<LabeledImage> trainImages = new ArrayList<>(set.train());
    List<LabeledImage> validationImages = new ArrayList<>(set.validation());
    Set<String> heldOut = new HashSet<>();
    if (validationImages.isEmpty()) {
      int holdout = (int) Math.round(validationFraction * strong.size());
      if (strong.size() - holdout >= MIN_STRONG_FOR_HOLDOUT && holdout > 0) {
        List<String> ids = new ArrayList<>(strong);
        ids.sort(null);
        Collections.shuffle(ids, new Random(seed ^ 0x5EEDL));
        Set<String> held = new HashSet<>(ids.subList(0, holdout));
        trainImages.removeIf(s -> held.contains(s.id()));
        set.train().stream().filter(s -> held.contains(s.id())).forEach(validationImages::add);
        strong.removeAll(held);
        heldOut.addAll(held);
      }
    }

    int total = trainImages.size() + validationImages.size();
    int done = 0;
    int channels = 1;
    List<Example> train = new ArrayList<>();
    Map<String, LabeledImage> images = new LinkedHashMap<>();
    int tasks = method.tasks(classes).size();
    for (LabeledImage s : trainImages) {
      LabelImage[] targets = method.targets(s, classes);
      float[] imageLabels = method.imageLabels(s, classes);
      if (targets != null || imageLabels != null) {
        Example e = new Example(s.id(), method.loadImage(s),
            targets != null ? targets : new LabelImage[tasks], imageLabels);
        channels = Math.max(channels, e.image().channels());
        train.add(e);
        images.put(s.id(), s);
      }
      progress.progress(++done, total, s.id());
    }
    List<Example> validation = new ArrayList<>();
    for (LabeledImage s : validationImages) {
      LabelImage[] targets = method.targets(s, classes);
      float[] imageLabels = method.imageLabels(s, classes);
      if (targets != null && targets[0] != null) {
        validation.add(new Example(s.id(), method.loadImage(s), targets, imageLabels));
      } else if (heldOut.contains(s.id()) && (targets != null || imageLabels != null)) {
        // The method cannot validate on it (e.g. it learns from tags): train on it instead.
        Example e = new Example(s.id(), method.loadImage(s),
            targets != null ? targets : new LabelImage[tasks], imageLabels);
        channels = Math.max(channels, e.image().channels());
        train.add(e);
        images.put(s.id(), s);
        strong.add(s.id());
      }
      progress.progress(++done, total, s.id());
    }
    if (train.isEmpty()) {
      throw new DatasetException("method '" + method.name()
          + "' finds nothing to learn from in the training images (no strong masks"
          + (method instanceof Supervised ? "" : " or lazy labels") + ")");
    }
    return new TrainingData(train, validation, Set.copyOf(strong), channels,
        Map.copyOf(images), Map.copyOf(truth), scale);
  }

  private static List<LabeledImage> scaled(List<LabeledImage> images, double scale) {
    return images.stream().map(i -> i.scaled(scale)).toList();
  }
}
