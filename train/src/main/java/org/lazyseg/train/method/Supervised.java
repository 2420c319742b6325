package org.lazyseg.train.method;

import java.util.List;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.Task;

/** Plain U-Net training on the strong masks alone (the papers' "SL only" baseline). */
public final class Supervised implements Method {
  public static final String SEGMENTATION = "segmentation";

  @Override
  public String name() {
    return "supervised";
  }

  @Override
  public String description() {
    return "U-Net on the strong masks only (pixel-wise cross-entropy)";
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
