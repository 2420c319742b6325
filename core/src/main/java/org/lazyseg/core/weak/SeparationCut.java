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
    return pieces(classes, separation == null ? null : cut(classes, separation, threshold));
  }

  /**
   * The cut: 1 where {@code classes} is foreground and the interface probability
   * ({@code separation[1]}) does not exceed {@code threshold}, else 0.
   */
  public static LabelImage cut(LabelImage classes, float[][] separation, double threshold) {
    LabelImage cut = new LabelImage(classes.width(), classes.height());
    cut(classes.data(), separation[1], cut.data().length, 0, threshold, cut.data());
    return cut;
  }

  /**
   * The cut of {@code count} pixels from {@code offset} on (a band of rows): {@code classes}
   * and {@code cut} are indexed from {@code offset}, the interface probabilities from 0.
   */
  public static void cut(int[] classes, float[] interfaceProbability, int count, int offset,
      double threshold, int[] cut) {
    for (int j = 0; j < count; j++) {
      int i = offset + j;
      cut[i] = classes[i] > 0 && !(interfaceProbability[j] > threshold) ? 1 : 0;
    }
  }

  /**
   * The plain cut's instances: the 4-connected components of {@code cut} (labelled in its own
   * array), or of the foreground when {@code cut} is null (no separation head).
   */
  public static LabelImage pieces(LabelImage classes, LabelImage cut) {
    return Components.labelInPlace(cut != null ? cut : classes.foreground(), Connectivity.FOUR);
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
    return regrown(classes, separation == null ? null : cut(classes, separation, threshold),
        minPiece);
  }

  /**
   * {@link #instances(LabelImage, float[][], double, int)} from the {@link #cut} (labelled
   * in its own array; null: no separation head). Global: besides the class image it holds
   * three int images of its size (components, pieces, growth queue) and the result.
   */
  public static LabelImage regrown(LabelImage classes, LabelImage cutMask, int minPiece) {
    LabelImage whole = Components.labelInPlace(classes.foreground(), Connectivity.FOUR);
    if (cutMask == null) {
      return whole;
    }
    LabelImage cut = Components.labelInPlace(cutMask, Connectivity.FOUR);
    int w = classes.width(), h = classes.height();
    int[] piece = cut.data();
    int pieces = Components.countIds(cut);
    int[] area = new int[pieces + 1];
    for (int v : piece) {
      area[v]++;
    }
    int[] out = new int[w * h];
    for (int i = 0; i < piece.length; i++) {
      if (piece[i] > 0 && area[piece[i]] >= minPiece) {
        out[i] = piece[i];
      }
    }
    int[] fg = whole.data();
    Components.spread(out, fg, w, h);
    for (int i = 0; i < out.length; i++) {
      if (fg[i] > 0 && out[i] == 0) {
        out[i] = pieces + fg[i]; // a component the cut left without a sizeable piece
      }
    }
    return Components.renumber(new LabelImage(w, h, out));
  }
}
