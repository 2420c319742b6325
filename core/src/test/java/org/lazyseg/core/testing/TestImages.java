package org.lazyseg.core.testing;

import org.lazyseg.core.image.LabelImage;

/** Small images and label images with known contents, shared by the tests of several modules. */
public final class TestImages {
  private TestImages() {}

  /**
   * 20 x 8: a 13 x 6 block (x 2..14, y 1..6: two touching objects, as far as the classes
   * tell) and a lone 3 x 3 square (x 17..19, y 2..4); columns 15 and 16 are background.
   */
  public static LabelImage twoTouchingAndOne() {
    LabelImage c = new LabelImage(20, 8);
    for (int y = 1; y < 7; y++) {
      for (int x = 2; x < 20; x++) {
        if (x < 15 || (x >= 17 && y >= 2 && y < 5)) {
          c.set(x, y, 1);
        }
      }
    }
    return c;
  }

  /** An image of uniform random values in [0, 1), seeded. */
  public static org.lazyseg.core.image.FloatImage noise(int w, int h, int channels, long seed) {
    java.util.Random rng = new java.util.Random(seed);
    org.lazyseg.core.image.FloatImage image = new org.lazyseg.core.image.FloatImage(w, h,
        channels);
    for (int i = 0; i < image.data().length; i++) {
      image.data()[i] = rng.nextFloat();
    }
    return image;
  }
}
