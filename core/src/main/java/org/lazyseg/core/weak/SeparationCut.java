package org.lazyseg.core.weak;

import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;

/**
 * Instances from a class image and a separation head's interface probabilities
 * (docs/methods.md, Separation cut): the plain cut and the cut with regrowth.
 */
public final class SeparationCut {

  /**
   * The interface threshold of the plain cut: a pixel is an interface where that class wins.
   */
  public static final double INTERFACE_THRESHOLD = 0.5;

  private SeparationCut() {}

  /**
   * Instances: the foreground minus the pixels whose interface probability exceeds 1/2,
   * split into 4-connected components. {@code separation} ([class][pixel], class 1 =
   * interface) may be null.
   */
  public static LabelImage instances(LabelImage classes, float[][] separation) {
    return instances(classes, separation, INTERFACE_THRESHOLD);
  }

  /**
   * {@link #instances(LabelImage, float[][])} with another interface threshold: interfaces
   * are rare, so a separation head trained with plain cross-entropy seldom passes 1/2.
   */
  public static LabelImage instances(LabelImage classes, float[][] separation,
      double threshold) {
    LabelImage fg = classes.foreground();
    if (separation != null) {
      int[] d = fg.data();
      for (int i = 0; i < d.length; i++) {
        if (separation[1][i] > threshold) {
          d[i] = 0;
        }
      }
    }
    return Components.label(fg, Connectivity.FOUR);
  }

  /**
   * Instances cut apart by the interfaces, with nothing lost: the foreground minus the
   * pixels whose interface probability exceeds {@code threshold} falls into 4-connected
   * pieces; pieces of fewer than {@code minPiece} pixels are no objects of their own (stray
   * interface pixels inside one object chip off slivers); the remaining pieces then grow back
   * over the cut pixels and slivers of their foreground component, each pixel going to the
   * piece nearest along the foreground. A component with no piece left stays one object. So
   * the interfaces can only split a component into sizeable parts, never delete one, and the
   * instances cover the whole foreground.
   */
  public static LabelImage instances(LabelImage classes, float[][] separation,
      double threshold, int minPiece) {
    LabelImage whole = Components.label(classes.foreground(), Connectivity.FOUR);
    if (separation == null) {
      return whole;
    }
    LabelImage cut = instances(classes, separation, threshold);
    int w = classes.width(), h = classes.height();
    int[] piece = cut.data();
    int pieces = Components.countIds(cut);
    int[] area = new int[pieces + 1];
    for (int v : piece) {
      area[v]++;
    }
    int[] out = new int[w * h];
    // Multi-source breadth-first growth inside the foreground: OpenCV's watershed wants a
    // colour image and floods by intensity, not by distance within a mask.
    int[] queue = new int[w * h];
    int head = 0, tail = 0;
    for (int i = 0; i < piece.length; i++) {
      if (piece[i] > 0 && area[piece[i]] >= minPiece) {
        out[i] = piece[i];
        queue[tail++] = i;
      }
    }
    int[] fg = whole.data();
    while (head < tail) {
      int i = queue[head++];
      int x = i % w, y = i / w;
      for (int k = 0; k < 4; k++) {
        int nx = x + (k == 0 ? 1 : k == 1 ? -1 : 0), ny = y + (k == 2 ? 1 : k == 3 ? -1 : 0);
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
          continue;
        }
        int j = ny * w + nx;
        if (fg[j] > 0 && out[j] == 0) {
          out[j] = out[i];
          queue[tail++] = j;
        }
      }
    }
    for (int i = 0; i < out.length; i++) {
      if (fg[i] > 0 && out[i] == 0) {
        out[i] = pieces + fg[i]; // a component the cut left without a sizeable piece
      }
    }
    return Components.renumber(new LabelImage(w, h, out));
  }
}
