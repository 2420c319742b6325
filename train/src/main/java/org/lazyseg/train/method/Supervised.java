package org.lazyseg.train.method;

import java.util.List;
import java.util.Map;
import org.lazyseg.core.data.LabeledImage;
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
  static final List<Setting> SETTINGS = List.of(Setting.integer("crop", 0, 0,
      Integer.MAX_VALUE, "train on S x S crops instead of the profile's (0 = the profile's)"));

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

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public Supervised configure(Map<String, String> options) {
    return new Supervised(OptionValues.parse(NAME, SETTINGS, options).integer("crop"));
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
  public LabelImage[] targets(LabeledImage image, int classes) {
    return image.mask().map(m -> new LabelImage[] {m}).orElse(null);
  }
}
