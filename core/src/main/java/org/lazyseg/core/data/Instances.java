package org.lazyseg.core.data;

import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;

/** Instance labels made from class labels, for data whose masks hold class ids only. */
public final class Instances {
  private Instances() {}

  /**
   * Instance ids for a class-id image: each 4-connected region of one class (1..classCount)
   * becomes an instance, numbered 1..n class by class, so that touching objects of different
   * classes stay apart. Values above classCount are treated as background.
   */
  public static LabelImage ofClasses(LabelImage classes, int classCount) {
    int[] c = classes.data();
    int[] out = new int[c.length];
    int next = 0;
    for (int k = 1; k <= classCount; k++) {
      LabelImage ofClass = new LabelImage(classes.width(), classes.height());
      boolean any = false;
      for (int i = 0; i < c.length; i++) {
        if (c[i] == k) {
          ofClass.data()[i] = 1;
          any = true;
        }
      }
      if (!any) {
        continue;
      }
      int[] comp = Components.label(ofClass, Connectivity.FOUR).data();
      int most = 0;
      for (int i = 0; i < comp.length; i++) {
        if (comp[i] > 0) {
          out[i] = next + comp[i];
          most = Math.max(most, comp[i]);
        }
      }
      next += most;
    }
    return new LabelImage(classes.width(), classes.height(), out);
  }
}
