import java.awt.*; import java.awt.image.BufferedImage; import java.io.File; import javax.imageio.ImageIO;
/**
 * Stacks pictures vertically, scaled, into one PNG (ImageMagick is not on every machine).
 * usage: java bench/tools/Stack.java OUT.png SCALE IN1.png IN2.png ...
 */
public class Stack { public static void main(String[] a) throws Exception {
  double s = Double.parseDouble(a[1]); BufferedImage[] im = new BufferedImage[a.length - 2]; int w = 0, h = 0;
  for (int i = 2; i < a.length; i++) { im[i-2] = ImageIO.read(new File(a[i])); w = Math.max(w, (int)(im[i-2].getWidth()*s)); h += (int)(im[i-2].getHeight()*s); }
  BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB); Graphics2D g = out.createGraphics();
  g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR); int y = 0;
  for (BufferedImage b : im) { int bw=(int)(b.getWidth()*s), bh=(int)(b.getHeight()*s); g.drawImage(b, 0, y, bw, bh, null); y += bh; }
  ImageIO.write(out, "png", new File(a[0])); } }
