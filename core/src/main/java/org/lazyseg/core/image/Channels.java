package org.lazyseg.core.image;

/** Gives images the channel count a network expects. */
public final class Channels {
  private Channels() {}

  /**
   * Whether {@link #adapt} gives an image of {@code have} channels the {@code want} of a
   * model without mixing what should stay apart: the same count, grey (replicated), or the
   * three colours of one picture averaged into grey; not separate channels (an OME-TIFF's
   * or ImageJ hyperstack's, {@code separate}) averaged together.
   */
  public static boolean fits(int have, boolean separate, int want) {
    return have == want || have == 1 || (want == 1 && have == 3 && !separate);
  }

  /**
   * Gives an image {@code channels} channels: grey into a colour model is replicated,
   * colour into a grey model is averaged; other mismatches are errors. An image that already
   * has them is returned as it is.
   */
  public static FloatImage adapt(FloatImage image, int channels) {
    int have = image.channels();
    if (have == channels) {
      return image;
    }
    int plane = image.width() * image.height();
    float[] src = image.data();
    float[] out = new float[plane * channels];
    if (have == 1) {
      for (int c = 0; c < channels; c++) {
        System.arraycopy(src, 0, out, c * plane, plane);
      }
    } else if (channels == 1) {
      for (int c = 0; c < have; c++) {
        for (int i = 0; i < plane; i++) {
          out[i] += src[c * plane + i] / have;
        }
      }
    } else {
      throw new IllegalArgumentException(
          "image has " + have + " channels, the model expects " + channels);
    }
    return new FloatImage(image.width(), image.height(), channels, out);
  }
}
