package org.lazyseg.experiments.tools;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Stacks PNG pictures top to bottom, 4 white pixels apart, for BENCHMARKS.md figures (the
 * JDK's ImageIO; this machine has no image tool that reads PNG).
 * usage: bench/tool StackPictures OUT.png IN.png...
 */
public final class StackPictures {
  public static void main(String[] args) throws Exception {
    List<BufferedImage> in = new ArrayList<>();
    int width = 0, height = 0;
    for (int i = 1; i < args.length; i++) {
      BufferedImage im = ImageIO.read(new File(args[i]));
      if (im == null) {
        throw new IllegalArgumentException("not an image: " + args[i]);
      }
      in.add(im);
      width = Math.max(width, im.getWidth());
      height += im.getHeight() + (i > 1 ? 4 : 0);
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    int y = 0;
    for (BufferedImage im : in) {
      g.drawImage(im, 0, y, null);
      y += im.getHeight() + 4;
    }
    g.dispose();
    ImageIO.write(out, "png", new File(args[0]));
  }
}
