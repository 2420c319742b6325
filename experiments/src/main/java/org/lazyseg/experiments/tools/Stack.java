package org.lazyseg.experiments.tools;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Stacks pictures vertically, scaled, into one PNG (ImageMagick is not on every machine).
 * usage: bench/tool Stack OUT.png SCALE IN1.png IN2.png ...
 */
public final class Stack {
  public static void main(String[] args) throws Exception {
    double scale = Double.parseDouble(args[1]);
    BufferedImage[] in = new BufferedImage[args.length - 2];
    int width = 0, height = 0;
    for (int i = 0; i < in.length; i++) {
      in[i] = ImageIO.read(new File(args[i + 2]));
      width = Math.max(width, (int) (in[i].getWidth() * scale));
      height += (int) (in[i].getHeight() * scale);
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    int y = 0;
    for (BufferedImage b : in) {
      int w = (int) (b.getWidth() * scale), h = (int) (b.getHeight() * scale);
      g.drawImage(b, 0, y, w, h, null);
      y += h;
    }
    g.dispose();
    ImageIO.write(out, "png", new File(args[0]));
  }
}
