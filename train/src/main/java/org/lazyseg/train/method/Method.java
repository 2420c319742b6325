package org.lazyseg.train.method;

import java.util.List;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.Task;

/**
 * A training method: which tasks the network learns and how a sample's labels become
 * per-task targets. The engine, network and prediction are shared; a method only decides
 * what the heads learn from. Head 0 is always the segmentation that prediction returns.
 */
public interface Method {

  /** The name used on the command line ({@code --method NAME}). */
  String name();

  /** One line for {@code --help}. */
  String description();

  /** The tasks, head 0 first; {@code classes} is the number of foreground classes K. */
  List<Task> tasks(int classes);

  /**
   * The per-task targets of one training sample (entries may be null: label missing), or
   * null when the sample gives this method nothing to learn from.
   *
   * @param strong whether this sample keeps its strong mask (the seeded strong fraction)
   */
  LabelImage[] targets(Sample sample, boolean strong, int classes);

  /** A class-id image: positive values of a single-class label become class 1. */
  static LabelImage asClasses(LabelImage labels, int classes) {
    if (classes > 1) {
      return labels;
    }
    int[] d = labels.data();
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = d[i] > 0 ? 1 : 0;
    }
    return new LabelImage(labels.width(), labels.height(), out);
  }
}
