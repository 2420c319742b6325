package org.lazyseg.train.method;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.DatasetException;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.LazyLabels;
import org.lazyseg.train.data.Example;

/**
 * Turns a dataset folder into a method's training and validation examples: picks the seeded
 * strong fraction of the training images, holds out validation images, loads pixels.
 *
 * @param train examples the network learns from
 * @param validation strong examples scored every epoch (from split "val", else held out)
 * @param strongIds ids of the training images that keep their strong masks
 * @param channels the largest channel count among the loaded images (the model's input)
 */
public record TrainingData(
    List<Example> train, List<Example> validation, Set<String> strongIds, int channels) {

  /** Which images to use and how. */
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

  /** Validation images are held out only when at least this many strong images remain. */
  static final int MIN_STRONG_FOR_HOLDOUT = 10;

  public static TrainingData load(Dataset data, Method method, Selection selection,
      ProgressCallback progress) {
    int classes = data.classNames().size();
    List<Sample> pool = data.samples(selection.trainSplit());
    if (pool.isEmpty()) {
      throw new DatasetException(data.dir() + ": no images in split '" + selection.trainSplit()
          + "' (splits: " + data.splits() + ")");
    }
    List<String> withMasks = new ArrayList<>();
    for (Sample s : pool) {
      if (s.mask().isPresent()) {
        withMasks.add(s.id());
      }
    }
    Set<String> strong = new HashSet<>(
        LazyLabels.strongSubset(withMasks, selection.strongFraction(), selection.seed()));

    List<Sample> validationSamples = new ArrayList<>();
    Set<String> heldOut = new HashSet<>();
    List<Sample> trainSamples = new ArrayList<>(pool);
    List<Sample> val = data.samples("val");
    if (!val.isEmpty() && !"val".equals(selection.trainSplit())) {
      val.stream().filter(s -> s.mask().isPresent()).forEach(validationSamples::add);
    } else {
      int holdout = (int) Math.round(selection.validationFraction() * strong.size());
      if (strong.size() - holdout >= MIN_STRONG_FOR_HOLDOUT && holdout > 0) {
        List<String> ids = new ArrayList<>(strong);
        ids.sort(null);
        java.util.Collections.shuffle(ids, new Random(selection.seed() ^ 0x5EEDL));
        Set<String> held = new HashSet<>(ids.subList(0, holdout));
        trainSamples.removeIf(s -> held.contains(s.id()));
        pool.stream().filter(s -> held.contains(s.id())).forEach(validationSamples::add);
        strong.removeAll(held);
        heldOut.addAll(held);
      }
    }

    int total = trainSamples.size() + validationSamples.size();
    int done = 0;
    int channels = 1;
    List<Example> train = new ArrayList<>();
    for (Sample s : trainSamples) {
      boolean isStrong = strong.contains(s.id());
      LabelImage[] targets = method.targets(s, isStrong, classes);
      float[] imageLabels = method.imageLabels(s, isStrong, classes);
      if (targets != null || imageLabels != null) {
        if (targets == null) {
          targets = new LabelImage[method.tasks(classes).size()];
        }
        Example e = new Example(s.id(), method.loadImage(s), targets, imageLabels);
        channels = Math.max(channels, e.image().channels());
        train.add(e);
      }
      progress.progress(++done, total, s.id());
    }
    List<Example> validation = new ArrayList<>();
    for (Sample s : validationSamples) {
      LabelImage[] targets = method.targets(s, true, classes);
      float[] imageLabels = method.imageLabels(s, true, classes);
      if (targets != null && targets[0] != null) {
        validation.add(new Example(s.id(), method.loadImage(s), targets, imageLabels));
      } else if (heldOut.contains(s.id()) && (targets != null || imageLabels != null)) {
        // The method cannot validate on it (e.g. it learns from tags): train on it instead.
        Example e = new Example(s.id(), method.loadImage(s), targets != null ? targets
            : new LabelImage[method.tasks(classes).size()], imageLabels);
        channels = Math.max(channels, e.image().channels());
        train.add(e);
        strong.add(s.id());
      }
      progress.progress(++done, total, s.id());
    }
    if (train.isEmpty()) {
      throw new DatasetException(data.dir() + ": method '" + method.name()
          + "' finds nothing to learn from in split '" + selection.trainSplit()
          + "' (no strong masks" + (method instanceof Supervised ? "" : " or lazy labels") + ")");
    }
    return new TrainingData(train, validation, Set.copyOf(strong), channels);
  }
}
