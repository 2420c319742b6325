package org.lazyseg.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What a model trains on: labelled images, the names of the foreground classes, and images with
 * strong masks to validate on (may be empty: training then holds some out, see the trainer).
 * A dataset folder is one way to make one ({@link Dataset#trainingSet}); a program that holds
 * its images in memory builds it directly:
 *
 * <pre>{@code
 * TrainingSet set = TrainingSet.of(List.of("gland"), List.of(a, b, c));
 * }</pre>
 *
 * @param classNames foreground class names; class id k (1..K) is {@code classNames.get(k - 1)}
 * @param train the images the network learns from
 * @param validation images with strong masks, scored after every epoch
 */
public record TrainingSet(List<String> classNames, List<LabeledImage> train,
    List<LabeledImage> validation) {

  public TrainingSet {
    classNames = List.copyOf(classNames);
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("a training set needs at least one class name");
    }
    if (train.isEmpty()) {
      throw new IllegalArgumentException("a training set needs at least one training image");
    }
    Set<String> ids = new HashSet<>();
    for (List<LabeledImage> part : List.of(train, validation)) {
      for (LabeledImage image : part) {
        if (!ids.add(image.id())) {
          throw new IllegalArgumentException("image id '" + image.id() + "' occurs twice");
        }
      }
    }
    for (LabeledImage v : validation) {
      if (!v.has(LabeledImage.Kind.MASK)) {
        throw new IllegalArgumentException("validation image '" + v.id()
            + "' has no strong mask to be scored against");
      }
    }
    for (List<LabeledImage> part : List.of(train, validation)) {
      for (LabeledImage image : part) {
        int tags = image.tags().map(t -> t.length).orElse(classNames.size());
        if (tags != classNames.size()) {
          throw new IllegalArgumentException("image '" + image.id() + "' has " + tags
              + " tags, the set " + classNames.size() + " classes");
        }
      }
    }
  }

  /** A set without validation images. */
  public static TrainingSet of(List<String> classNames, List<LabeledImage> train) {
    return new TrainingSet(classNames, train, List.of());
  }

  /** The label kinds that at least one training image has. */
  public Set<LabeledImage.Kind> kinds() {
    Set<LabeledImage.Kind> k = EnumSet.noneOf(LabeledImage.Kind.class);
    train.forEach(image -> k.addAll(image.kinds()));
    return k;
  }

  /** Ids of the training images with a strong mask, in order. */
  public List<String> strongIds() {
    return train.stream().filter(i -> i.has(LabeledImage.Kind.MASK)).map(LabeledImage::id)
        .toList();
  }

  /**
   * This set with the strong masks of only a seeded {@code fraction} of the training images
   * that have one (the rest keep their other labels): the annotation budget of an experiment.
   * The same fraction and seed always keep the same images.
   */
  public TrainingSet withStrongFraction(double fraction, long seed) {
    Set<String> keep = new HashSet<>(seededSubset(strongIds(), fraction, seed));
    List<LabeledImage> out = new ArrayList<>(train.size());
    for (LabeledImage image : train) {
      out.add(image.has(LabeledImage.Kind.MASK) && !keep.contains(image.id())
          ? image.withoutMask() : image);
    }
    return new TrainingSet(classNames, out, validation);
  }

  /**
   * A seeded subset of {@code round(fraction * n)} ids (at least one when fraction &gt; 0), in
   * the order given; it depends on the set of ids and the seed, not on their order.
   */
  public static List<String> seededSubset(List<String> ids, double fraction, long seed) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must lie in [0, 1]: " + fraction);
    }
    int n = ids.size();
    int k = (int) Math.round(fraction * n);
    if (fraction > 0 && n > 0) {
      k = Math.max(1, k);
    }
    List<String> shuffled = new ArrayList<>(ids);
    Collections.sort(shuffled);
    Collections.shuffle(shuffled, new Random(seed));
    Set<String> chosen = new HashSet<>(shuffled.subList(0, k));
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      if (chosen.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }
}
