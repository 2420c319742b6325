package org.lazyseg.train.method;

import java.util.List;
import java.util.Map;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;

/**
 * The three tasks of the lazy-labels paper (SPEC section 2) on one network: segmentation
 * from the few strong masks, detection from partial masks (classes plus "rest"), and
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
   * batch; half a batch (0.5) was tried and scored lower (GlaS test A Dice 0.774 vs 0.803,
   * BENCHMARKS.md), so it stays an option.
   */
  public static final double STRONG_SHARE = 0;

  private final boolean separation;
  private final String network;
  private final double strongShare;

  /** All three tasks on one U-Net decoder. */
  public LazyMultiTask() {
    this(true, ModelSpec.UNET);
  }

  public LazyMultiTask(boolean separation, String network) {
    this(separation, network, STRONG_SHARE);
  }

  /**
   * @param separation whether to learn the separation task (without it, instances are the
   *     components of the segmentation: the ablation of the paper's separation task)
   * @param network {@link ModelSpec#UNET}: heads on one shared decoder (cheapest);
   *     {@link ModelSpec#MULTITASK_DECODER}: the paper's multi-task blocks
   * @param strongShare share of each batch drawn from the strongly labelled images (0:
   *     uniformly from all, as the paper)
   */
  public LazyMultiTask(boolean separation, String network, double strongShare) {
    if (!(strongShare >= 0 && strongShare <= 1)) {
      throw new IllegalArgumentException("strong-share must be in [0, 1], not " + strongShare);
    }
    this.separation = separation;
    this.network = network;
    this.strongShare = strongShare;
  }

  /**
   * Options: {@code separation=true|false} (default true), {@code network=unet|multitask-decoder}
   * (default unet), {@code strong-share=F} (default {@value #STRONG_SHARE}).
   */
  static LazyMultiTask fromOptions(Map<String, String> options) {
    Options.requireKnown("multitask", options,
        java.util.Set.of("separation", "network", "strong-share"));
    String sep = options.get("separation");
    String net = options.getOrDefault("network", ModelSpec.UNET);
    if (!net.equals(ModelSpec.UNET) && !net.equals(ModelSpec.MULTITASK_DECODER)) {
      throw new IllegalArgumentException("network must be " + ModelSpec.UNET + " or "
          + ModelSpec.MULTITASK_DECODER + ", not '" + net + "'");
    }
    double share = options.containsKey("strong-share")
        ? Options.number("strong-share", options.get("strong-share")) : STRONG_SHARE;
    return new LazyMultiTask(sep == null || Options.bool("separation", sep), net, share);
  }

  @Override
  public Map<String, String> options() {
    Map<String, String> o = new java.util.TreeMap<>();
    if (!separation) {
      o.put("separation", "false");
    }
    if (!network.equals(ModelSpec.UNET)) {
      o.put("network", network);
    }
    if (strongShare != STRONG_SHARE) {
      o.put("strong-share", Double.toString(strongShare));
    }
    return o;
  }

  @Override
  public TrainConfig adjust(TrainConfig config) {
    return config.toBuilder().optStrongShare(strongShare).build();
  }

  @Override
  public String network() {
    return network;
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
