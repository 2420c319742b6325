package org.lazyseg.train.method;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;

/**
 * Plain U-Net training on the strong masks alone (the papers' "SL only" baseline).
 *
 * <p>Option {@code crop=S}: train on S x S crops instead of the profile's, e.g. the patch
 * size of a patch dataset, where the profile's larger crop would be mostly padding (the
 * fully supervised reference of the tags preset: 64-pixel patches, standard crop 192).
 */
public final class Supervised implements Method {
  public static final String NAME = "supervised";
  public static final String SEGMENTATION = "segmentation";
  private static final Set<String> OPTIONS = Set.of("crop");

  /** The crop asked for, 0 = the profile's. */
  private final int crop;

  public Supervised() {
    this(0);
  }

  public Supervised(int crop) {
    if (crop < 0) {
      throw new IllegalArgumentException("supervised: crop must be >= 0: " + crop);
    }
    this.crop = crop;
  }

  /** From {@code -O} options; rejects unknown keys with a clear message. */
  public static Supervised fromOptions(Map<String, String> options) {
    Options.requireKnown(NAME, options, OPTIONS);
    String c = options.get("crop");
    try {
      return new Supervised(c == null ? 0 : Options.integer("crop", c));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith(NAME) ? e.getMessage()
          : NAME + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "U-Net on the strong masks only (pixel-wise cross-entropy)";
  }

  @Override
  public Map<String, String> options() {
    return crop > 0 ? Map.of("crop", Integer.toString(crop)) : Map.of();
  }

  @Override
  public TrainConfig adjust(TrainConfig config) {
    return crop > 0 ? config.toBuilder().setCrop(crop).build() : config;
  }

  @Override
  public List<Task> tasks(int classes) {
    return List.of(Task.of(SEGMENTATION, classes + 1));
  }

  @Override
  public LabelImage[] targets(Sample sample, boolean strong, int classes) {
    if (!strong || sample.mask().isEmpty()) {
      return null;
    }
    return new LabelImage[] {sample.loadClasses()};
  }
}
