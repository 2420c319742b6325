package org.lazyseg.core.weak;

import java.awt.Color;
import java.nio.file.Path;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/**
 * Pictures for people: an image with its labels blended in colour, each region outlined, and
 * optionally scribbles on top. Pictures are packed 0xRRGGBB ints, row-major.
 *
 * <pre>{@code
 * int[] truth = Overlays.overlay(image, classes, Overlays.Colouring.BY_CLASS, null);
 * int[] pred = Overlays.overlay(image, predicted, Overlays.Colouring.BY_CLASS, null);
 * Overlays.sideBySide(w, h, Overlays.grey(image), truth, pred).write(Path.of("cmp.png"));
 * }</pre>
 */
public final class Overlays {
  /** Weight of the label colour inside a region; the outline is drawn at full colour. */
  public static final double ALPHA = 0.4;
  /** Pixels between panels of {@link #sideBySide}. */
  public static final int GAP = 4;
  public static final int SCRIBBLE_COLOUR = 0xFFFF00;
  private static final int GAP_COLOUR = 0xFFFFFF;
  /** Class colours for ids 1, 2, ...: red, blue, green, orange, purple, cyan (then repeating). */
  private static final int[] CLASS_COLOURS = {0xE6194B, 0x4363D8, 0x3CB44B, 0xF58231, 0x911EB4, 0x42D4F4};

  private Overlays() {}

  /** How label values become colours. */
  public enum Colouring {
    /** A fixed colour per class id: the same class looks the same in every picture. */
    BY_CLASS,
    /** Hues spread by the golden angle, so neighbouring instance ids look different. */
    BY_INSTANCE
  }

  /** A picture with its size. */
  public record Picture(int width, int height, int[] rgb) {
    public void write(Path png) {
      ImageFiles.writeRgb(rgb, width, height, png);
    }
  }

  /** The colour a label value gets (label 0 has none and is never painted). */
  public static int colour(int label, Colouring colouring) {
    if (colouring == Colouring.BY_CLASS) {
      return CLASS_COLOURS[(label - 1) % CLASS_COLOURS.length];
    }
    float hue = (float) ((label * 0.618033988749895) % 1.0);
    return Color.HSBtoRGB(hue, 0.85f, 1f) & 0xFFFFFF;
  }

  /** The image alone: grey for 1 channel, the first three channels as RGB otherwise. */
  public static int[] grey(FloatImage image) {
    int w = image.width(), h = image.height();
    int[] out = new int[w * h];
    boolean colour = image.channels() >= 3;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = byteOf(image.get(0, x, y));
        int g = colour ? byteOf(image.get(1, x, y)) : r;
        int b = colour ? byteOf(image.get(2, x, y)) : r;
        out[y * w + x] = (r << 16) | (g << 8) | b;
      }
    }
    return out;
  }

  /**
   * The image with each positive label region blended at {@link #ALPHA} in its colour and
   * outlined 1 pixel wide (region pixels with a 4-neighbour of another label) in full colour;
   * label 0 pixels keep the image value. {@code scribbles} (nullable) paints its positive
   * pixels {@link #SCRIBBLE_COLOUR} over everything.
   */
  public static int[] overlay(FloatImage image, LabelImage labels, Colouring colouring, LabelImage scribbles) {
    int w = image.width(), h = image.height();
    if (!labels.sameSize(w, h) || (scribbles != null && !scribbles.sameSize(w, h))) {
      throw new IllegalArgumentException("labels " + labels + " do not match " + image);
    }
    int[] out = grey(image);
    int[] l = labels.data();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        if (l[p] <= 0) {
          continue;
        }
        int c = colour(l[p], colouring);
        boolean outline = (x > 0 && l[p - 1] != l[p]) || (x < w - 1 && l[p + 1] != l[p])
            || (y > 0 && l[p - w] != l[p]) || (y < h - 1 && l[p + w] != l[p]);
        out[p] = outline ? c : blend(out[p], c, ALPHA);
      }
    }
    if (scribbles != null) {
      int[] s = scribbles.data();
      for (int p = 0; p < s.length; p++) {
        if (s[p] > 0) {
          out[p] = SCRIBBLE_COLOUR;
        }
      }
    }
    return out;
  }

  /** {@link #overlay} by class, without scribbles. */
  public static int[] overlay(FloatImage image, LabelImage labels) {
    return overlay(image, labels, Colouring.BY_CLASS, null);
  }

  /** Writes {@link #overlay} as an 8-bit RGB PNG (atomically). */
  public static void writeOverlay(Path png, FloatImage image, LabelImage labels, Colouring colouring,
      LabelImage scribbles) {
    ImageFiles.writeRgb(overlay(image, labels, colouring, scribbles), image.width(), image.height(), png);
  }

  /**
   * Panels of {@code width x height} side by side, left to right, with a {@link #GAP}-pixel
   * white gap between them, e.g. image | truth | prediction.
   */
  public static Picture sideBySide(int width, int height, int[]... panels) {
    if (panels.length == 0) {
      throw new IllegalArgumentException("no panels");
    }
    int total = panels.length * width + (panels.length - 1) * GAP;
    int[] out = new int[total * height];
    java.util.Arrays.fill(out, GAP_COLOUR);
    for (int k = 0; k < panels.length; k++) {
      if (panels[k].length != width * height) {
        throw new IllegalArgumentException(
            "panel " + k + " has " + panels[k].length + " pixels, not " + width + " x " + height);
      }
      for (int y = 0; y < height; y++) {
        System.arraycopy(panels[k], y * width, out, y * total + k * (width + GAP), width);
      }
    }
    return new Picture(total, height, out);
  }

  private static int blend(int base, int colour, double alpha) {
    int r = mix((base >> 16) & 0xFF, (colour >> 16) & 0xFF, alpha);
    int g = mix((base >> 8) & 0xFF, (colour >> 8) & 0xFF, alpha);
    int b = mix(base & 0xFF, colour & 0xFF, alpha);
    return (r << 16) | (g << 8) | b;
  }

  private static int mix(int a, int b, double alpha) {
    return (int) Math.round((1 - alpha) * a + alpha * b);
  }

  private static int byteOf(float v) {
    return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
  }
}
