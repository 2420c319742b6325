package org.lazyseg.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Reads and writes images through the JDK's ImageIO (PNG) and TwelveMonkeys (TIFF).
 * Grey and RGB, 8 and 16 bits. Writes are atomic: a file is written beside its target
 * and moved into place, so a crash never leaves half an image.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /** Thrown for a file that is missing, unreadable or of a kind we do not read. */
  public static final class ImageFileException extends RuntimeException {
    public ImageFileException(Path file, String problem) {
      super(file + ": " + problem);
    }
  }

  /** Reads the raw raster, failing with a one-line message naming the file. */
  public static Raster readRaster(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ImageFileException(file, "no such file");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new ImageFileException(file, "unreadable image (" + e.getMessage() + ")");
    }
    if (img == null) {
      throw new ImageFileException(file, "not an image format we read (PNG or TIFF)");
    }
    return img.getRaster();
  }

  /**
   * Reads an image as floats scaled to [0, 1] (8-bit values / 255, 16-bit / 65535).
   * An alpha channel is dropped; grey stays 1 channel, colour becomes 3.
   */
  public static FloatImage readImage(Path file) {
    Raster r = readRaster(file);
    int bands = r.getNumBands();
    int channels = bands == 2 ? 1 : Math.min(bands, 3);
    int w = r.getWidth(), h = r.getHeight();
    float scale = 1f / maxValue(r);
    FloatImage out = new FloatImage(w, h, channels);
    float[] d = out.data();
    int[] row = new int[w];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, c, row);
        int o = (c * h + y) * w;
        for (int x = 0; x < w; x++) {
          d[o + x] = row[x] * scale;
        }
      }
    }
    return out;
  }

  /** Reads a single-channel integer image (8 or 16 bit) as labels, unscaled. */
  public static LabelImage readLabels(Path file) {
    Raster r = readRaster(file);
    if (r.getNumBands() != 1 && !(r.getNumBands() == 2 && isGreyAlpha(r))) {
      // RGB label images are accepted when all channels agree (a grey picture saved as RGB).
      return readLabelsFromColour(file, r);
    }
    int w = r.getWidth(), h = r.getHeight();
    int[] out = new int[w * h];
    r.getSamples(0, 0, w, h, 0, out);
    return new LabelImage(w, h, out);
  }

  private static boolean isGreyAlpha(Raster r) {
    return r.getNumBands() == 2;
  }

  private static LabelImage readLabelsFromColour(Path file, Raster r) {
    int w = r.getWidth(), h = r.getHeight();
    int[] a = new int[w * h];
    int[] b = new int[w * h];
    r.getSamples(0, 0, w, h, 0, a);
    for (int c = 1; c < Math.min(3, r.getNumBands()); c++) {
      r.getSamples(0, 0, w, h, c, b);
      for (int i = 0; i < a.length; i++) {
        if (a[i] != b[i]) {
          throw new ImageFileException(file,
              "a label image must have one channel (found " + r.getNumBands()
                  + " channels that differ at pixel " + (i % w) + "," + (i / w) + ")");
        }
      }
    }
    return new LabelImage(w, h, a);
  }

  private static int maxValue(Raster r) {
    int bits = r.getSampleModel().getSampleSize(0);
    int type = r.getDataBuffer().getDataType();
    if (type == DataBuffer.TYPE_BYTE || bits <= 8) {
      return 255;
    }
    return 65535;
  }

  /** Writes labels as a PNG: 8-bit when all values fit in 0..255, else 16-bit. */
  public static void writeLabels(LabelImage labels, Path file) {
    int max = labels.max();
    int min = Integer.MAX_VALUE;
    for (int v : labels.data()) {
      min = Math.min(min, v);
    }
    if (min < 0 || max > 65535) {
      throw new IllegalArgumentException(
          "label values " + min + ".." + max + " do not fit a 16-bit PNG: " + file);
    }
    int type = max <= 255 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY;
    BufferedImage img = new BufferedImage(labels.width(), labels.height(), type);
    img.getRaster().setSamples(0, 0, labels.width(), labels.height(), 0, labels.data());
    write(img, file);
  }

  /** Writes an 8-bit RGB or grey picture given as packed 0xRRGGBB ints. */
  public static void writeRgb(int[] rgb, int width, int height, Path file) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, width, height, rgb, 0, width);
    write(img, file);
  }

  /** Writes a float image with values in [0, 1] as an 8-bit (grey or RGB) or 16-bit grey PNG. */
  public static void writeImage(FloatImage image, Path file, boolean sixteenBit) {
    int w = image.width(), h = image.height();
    BufferedImage img;
    if (image.channels() == 1) {
      img = new BufferedImage(w, h,
          sixteenBit ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY);
    } else {
      img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
      sixteenBit = false;
    }
    WritableRaster raster = img.getRaster();
    int max = sixteenBit ? 65535 : 255;
    int[] row = new int[w];
    for (int c = 0; c < Math.min(3, image.channels()); c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = image.get(c, x, y);
          row[x] = Math.round(Math.max(0f, Math.min(1f, v)) * max);
        }
        raster.setSamples(0, y, w, 1, c, row);
      }
    }
    write(img, file);
  }

  /** Writes any BufferedImage atomically; the format follows the extension (png, tif). */
  public static void write(BufferedImage img, Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String format = name.endsWith(".tif") || name.endsWith(".tiff") ? "tiff" : "png";
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
      try {
        if (!ImageIO.write(img, format, tmp.toFile())) {
          throw new IOException("no ImageIO writer for " + format);
        }
        moveAtomically(tmp, file);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Moves {@code tmp} onto {@code target} atomically where the file system allows it. */
  public static void moveAtomically(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
