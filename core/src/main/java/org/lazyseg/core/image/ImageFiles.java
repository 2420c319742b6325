package org.lazyseg.core.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reads and writes images through the JDK's ImageIO (PNG, JPEG) and TwelveMonkeys (TIFF).
 * Grey and RGB, 8 and 16 bits; instance images also as 32-bit TIFFs. Writes are atomic: a
 * file is written beside its target and moved into place, so a crash never leaves half an
 * image.
 */
public final class ImageFiles {
  /** The file extensions (lower case) of the images we read: PNG, TIFF and JPEG. */
  public static final List<String> IMAGE_EXTENSIONS = List.of("png", "tif", "tiff", "jpg", "jpeg");
  /** The problem of a file no reader takes. */
  public static final String NOT_AN_IMAGE = "not an image format we read (PNG, TIFF or JPEG)";
  /** The most instances a 16-bit PNG holds; more go to a 32-bit TIFF. */
  public static final int MAX_PNG_LABEL = 65535;

  private ImageFiles() {}

  /** Whether the file name ends with one of {@link #IMAGE_EXTENSIONS} (any case). */
  public static boolean isImageFile(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

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
      throw new ImageFileException(file, "unreadable image (" + reason(e) + ")");
    }
    if (img == null) {
      throw new ImageFileException(file, NOT_AN_IMAGE);
    }
    return img.getRaster();
  }

  /** Why a reader failed, in words: readers often throw without a message, or a wrapped one. */
  public static String reason(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof java.io.EOFException) {
      return "truncated: the file ends before its pixels do";
    }
    if (root instanceof IndexOutOfBoundsException) {
      // TIFF: no complete image directory, as when the file is cut short.
      return "truncated or damaged: no complete image in the file";
    }
    Throwable t = e.getMessage() != null ? e : root;
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
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

  /**
   * Writes labels as a PNG: 8-bit when all values fit in 0..255 (class ids of fewer than 256
   * classes), else 16-bit.
   */
  public static void writeLabels(LabelImage labels, Path file) {
    writeLabels(labels, file, false);
  }

  /**
   * Writes instance ids as a 16-bit PNG, whatever the largest id, so that every instance image
   * has one type. The ids must be >= 0; an image with ids above {@link #MAX_PNG_LABEL} does not
   * fit: write it with {@link #writeLabelsTiff32} (see {@link #instancesFile}).
   */
  public static void writeInstances(LabelImage instances, Path png) {
    writeLabels(instances, png, true);
  }

  private static void writeLabels(LabelImage labels, Path file, boolean sixteenBit) {
    int max = labels.max();
    int min = Integer.MAX_VALUE;
    for (int v : labels.data()) {
      min = Math.min(min, v);
    }
    if (min < 0 || max > MAX_PNG_LABEL) {
      throw new IllegalArgumentException(
          "label values " + min + ".." + max + " do not fit a 16-bit PNG: " + file);
    }
    int type = max <= 255 && !sixteenBit ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY;
    BufferedImage img = new BufferedImage(labels.width(), labels.height(), type);
    img.getRaster().setSamples(0, 0, labels.width(), labels.height(), 0, labels.data());
    write(img, file);
  }

  /**
   * Where the instance image of {@code stem} goes in {@code folder}: {@code stem.png} when its
   * largest id fits a 16-bit PNG, else {@code stem.tif} (32-bit).
   */
  public static Path instancesFile(Path folder, String stem, LabelImage instances) {
    return folder.resolve(stem + (instances.max() <= MAX_PNG_LABEL ? ".png" : ".tif"));
  }

  /**
   * Writes instance ids to {@link #instancesFile}: a 16-bit PNG, or a 32-bit TIFF when there
   * are more ids than a PNG holds; the other of the two files, left by an earlier write, is
   * removed. Returns the file written.
   */
  public static Path writeInstances(LabelImage instances, Path folder, String stem) {
    Path file = instancesFile(folder, stem, instances);
    Path other = folder.resolve(stem + (file.toString().endsWith(".png") ? ".tif" : ".png"));
    if (file.toString().endsWith(".png")) {
      writeInstances(instances, file);
    } else {
      writeLabelsTiff32(instances, file);
    }
    try {
      Files.deleteIfExists(other);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + other + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** Writes labels (>= 0) as a one-channel 32-bit integer TIFF (LZW); {@link #readLabels} reads it. */
  public static void writeLabelsTiff32(LabelImage labels, Path file) {
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
        new int[] {32}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_INT);
    WritableRaster raster = cm.createCompatibleWritableRaster(labels.width(), labels.height());
    raster.setSamples(0, 0, labels.width(), labels.height(), 0, labels.data());
    write(new BufferedImage(cm, raster, false, null), file);
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

  /**
   * Writes any BufferedImage atomically; the format follows the extension (png, or tif/tiff,
   * LZW-compressed).
   */
  public static void write(BufferedImage img, Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean tiff = name.endsWith(".tif") || name.endsWith(".tiff");
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
      try {
        if (tiff) {
          writeTiff(img, tmp);
        } else if (!ImageIO.write(img, "png", tmp.toFile())) {
          throw new IOException("no ImageIO writer for png");
        }
        moveAtomically(tmp, file);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeTiff(BufferedImage img, Path file) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionType("LZW");
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
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
