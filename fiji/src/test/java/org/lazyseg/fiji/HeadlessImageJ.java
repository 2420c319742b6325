package org.lazyseg.fiji;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import java.awt.GraphicsEnvironment;
import org.lazyseg.core.image.FloatImage;

/** Headless ImageJ for tests: the LazySeg commands registered, and images made in code. */
final class HeadlessImageJ {
  private HeadlessImageJ() {}

  static void register() throws Exception {
    if (!GraphicsEnvironment.isHeadless()) {
      throw new IllegalStateException("these tests run ImageJ headless (java.awt.headless=true)");
    }
    HeadlessMacro.registerCommands();
  }

  /** A grey image in [0, 1] as an 8-bit ImagePlus. */
  static ImagePlus image(String title, FloatImage image) {
    ByteProcessor ip = new ByteProcessor(image.width(), image.height());
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        ip.set(x, y, Math.round(image.get(0, x, y) * 255));
      }
    }
    return new ImagePlus(title, ip);
  }
}
