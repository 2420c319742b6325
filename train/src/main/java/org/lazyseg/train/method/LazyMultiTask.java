package org.lazyseg.train.method;

import java.util.List;
import java.util.Map;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.Task;

/**
 * The three tasks of the lazy-labels paper (SPEC section 2) on one network: segmentation
 * from the few strong masks, detection from partial masks (classes plus "rest"), and
 * separation from scribbles on the interfaces of touching objects. The loss of a task an
 * image lacks drops out. Heads share one U-Net decoder here; the paper's multi-task decoder
 * blocks are a network choice on top of the same targets.
 */
public final class LazyMultiTask implements Method {
  public static final String DETECTION = "detection";
  public static final String SEPARATION = "separation";

  private final boolean separation;

  /** All three tasks. */
  public LazyMultiTask() {
    this(true);
  }

  /**
   * @param separation whether to learn the separation task (without it, instances are the
   *     components of the segmentation: the ablation of the paper's separation task)
   */
  public LazyMultiTask(boolean separation) {
    this.separation = separation;
  }

  /** Options: {@code separation=true|false} (default true). */
  static LazyMultiTask fromOptions(Map<String, String> options) {
    Options.requireKnown("multitask", options, java.util.Set.of("separation"));
    String sep = options.get("separation");
    return new LazyMultiTask(sep == null || Options.bool("separation", sep));
  }

  @Override
  public Map<String, String> options() {
    return separation ? Map.of() : Map.of("separation", "false");
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
    return separation ? List.of(segmentation, detection, Task.of(SEPARATION, 2))
        : List.of(segmentation, detection);
  }

  @Override
  public LabelImage[] targets(Sample sample, boolean strong, int classes) {
    LabelImage segmentation = strong && sample.mask().isPresent() ? sample.loadClasses() : null;
    LabelImage detection = sample.partial().isPresent()
        ? Method.asClasses(sample.loadPartial(), classes) : null;
    // In an image with scribbles every unmarked pixel counts as "not interface" (SPEC 1).
    LabelImage scribbles = separation && sample.scribbles().isPresent()
        ? sample.loadScribbles() : null;
    if (segmentation == null && detection == null && scribbles == null) {
      return null;
    }
    return separation ? new LabelImage[] {segmentation, detection, scribbles}
        : new LabelImage[] {segmentation, detection};
  }
}
