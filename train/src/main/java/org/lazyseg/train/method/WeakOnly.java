package org.lazyseg.train.method;

import java.util.List;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.Task;

/**
 * A single-task U-net trained on the partial masks alone, as if they were full masks (the
 * paper's "WL only" baseline; docs/methods.md, Weak only): it learns the inner cores, and so
 * under-segments; strong masks are not used.
 */
public final class WeakOnly implements Method {
  @Override
  public String name() {
    return "weak-only";
  }

  @Override
  public String description() {
    return "U-Net on the partial masks only, taken as full masks (baseline)";
  }

  @Override
  public List<Task> tasks(int classes) {
    return List.of(Task.of(Supervised.SEGMENTATION, classes + 1));
  }

  @Override
  public LabelImage[] targets(LabeledImage image, int classes) {
    return image.partial().map(p -> new LabelImage[] {Method.asClasses(p, classes)})
        .orElse(null);
  }
}
