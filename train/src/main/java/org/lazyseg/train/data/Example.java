package org.lazyseg.train.data;

import java.util.Objects;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;

/**
 * A training image with one target per task. {@code targets[t] == null} means the image
 * has no label for task t: all its pixels count as {@link LabelImage#IGNORE}.
 *
 * <p>{@code imageLabels} (may be null) are per-image values that crops and flips do not
 * change, for methods whose labels are not pixels: an object size, a tag per class.
 *
 * <p>The targets array is deliberately mutable: a round hook (recursive approximation)
 * replaces targets between rounds. Never while a batch producer is running.
 */
public record Example(String id, FloatImage image, LabelImage[] targets, float[] imageLabels) {

  public Example {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(targets, "targets");
    for (LabelImage t : targets) {
      if (t != null && !t.sameSize(image.width(), image.height())) {
        throw new IllegalArgumentException(id + ": target " + t + " does not match " + image);
      }
    }
  }

  /** An example with pixel targets only. */
  public Example(String id, FloatImage image, LabelImage[] targets) {
    this(id, image, targets, null);
  }

  /** An example with a single task. */
  public static Example of(String id, FloatImage image, LabelImage target) {
    return new Example(id, image, new LabelImage[] {target});
  }
}
