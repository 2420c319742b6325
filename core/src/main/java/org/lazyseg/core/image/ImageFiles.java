package org.lazyseg.core.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads and writes images through the JDK's ImageIO (PNG, JPEG) and TwelveMonkeys (TIFF).
 * Reads grey, RGB and palette images of 1 to 16 bits and float TIFFs (see {@link #readImage}
 * for how values become [0, 1]), checking PNG chunk CRCs and refusing images of more than
 * {@link #maxPixels()} pixels from their header; writes grey and RGB, 8 and 16 bits, and
 * instance images also as 32-bit TIFFs. Writes are atomic: a
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

  /**
   * The id of an image file: its name without the extension, and without the {@code .ome}
   * of an OME-TIFF ({@code f.ome.tif} is {@code f}), which would otherwise end up in the names
   * of PNG outputs ({@code f.ome.png}).
   */
  public static String id(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot <= 0) {
      return name;
    }
    String stem = name.substring(0, dot);
    String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
    boolean ome = (ext.equals("tif") || ext.equals("tiff"))
        && stem.toLowerCase(Locale.ROOT).endsWith(".ome") && stem.length() > 4;
    return ome ? stem.substring(0, stem.length() - 4) : stem;
  }

  /** Thrown for a file that is missing, unreadable or of a kind we do not read. */
  public static final class ImageFileException extends RuntimeException {
    public ImageFileException(Path file, String problem) {
      super(file + ": " + problem);
    }
  }

  /**
   * The default of {@link #maxPixels()}: 2^28 pixels (16384 x 16384). Decoding holds the
   * whole image in memory several times over (the decoded raster, then floats: 3 GiB for an
   * RGB image of this size), which is what the launcher's default 8 GB heap can take beside
   * a network; larger images are mostly whole-slide scans or mosaics, or a damaged header.
   */
  public static final long DEFAULT_MAX_PIXELS = 1L << 28;
  /** The system property that overrides {@link #DEFAULT_MAX_PIXELS}. */
  public static final String MAX_PIXELS_PROPERTY = "lazyseg.maxPixels";

  /**
   * The most pixels (width x height) of an image we decode: the system property
   * {@value #MAX_PIXELS_PROPERTY} when set, else {@link #DEFAULT_MAX_PIXELS}.
   *
   * @throws IllegalArgumentException when the property is not a whole number > 0
   */
  public static long maxPixels() {
    String value = System.getProperty(MAX_PIXELS_PROPERTY);
    if (value == null || value.isBlank()) {
      return DEFAULT_MAX_PIXELS;
    }
    try {
      long n = Long.parseLong(value.trim().replace("_", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "-D" + MAX_PIXELS_PROPERTY + "=" + value + " is not a whole number > 0");
  }

  /**
   * Width and height from the file's header, as {@code {width, height}}, decoding no pixel;
   * an image of more than {@link #maxPixels()} pixels is refused here, so before anything is
   * allocated for it.
   */
  public static int[] size(Path file) {
    return size(file, "unreadable image header");
  }

  static int[] size(Path file, String unreadable) {
    if (!Files.isRegularFile(file)) {
      throw new ImageFileException(file, "no such file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      ImageReader reader = reader(file, in);
      try {
        return checkedSize(file, reader, 0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw asImageFileException(file, unreadable, e);
    }
  }

  /**
   * Decodes the file as it is stored (palette, bit depth and sample type kept), failing with
   * a one-line {@link ImageFileException} naming the file: for a missing file, one no reader
   * takes, a PNG whose chunk CRCs do not match or that is cut short, an image larger than
   * {@link #maxPixels()} (refused from its header, before its pixels are allocated), and
   * whatever the reader throws on damaged data.
   */
  public static BufferedImage readBufferedImage(Path file) {
    size(file, "unreadable image");
    try {
      // One read of a PNG: the CRCs are checked on exactly the bytes that are decoded.
      byte[] png = checkedPng(file);
      ImageInputStream in = png != null
          ? new MemoryCacheImageInputStream(new ByteArrayInputStream(png))
          : ImageIO.createImageInputStream(file.toFile());
      try (in) {
        ImageReader reader = decoder(file, in);
        try {
          return decode(file, reader, 0);
        } finally {
          reader.dispose();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw asImageFileException(file, "unreadable image", e);
    }
  }

  /**
   * Decodes image {@code page} of {@code reader}'s file (a TIFF's pages are its images),
   * after the size checks of {@link #size}.
   */
  static BufferedImage decode(Path file, ImageReader reader, int page) throws IOException {
    int[] size = checkedSize(file, reader, page);
    try {
      return reader.read(page);
    } catch (OutOfMemoryError e) {
      // One allocation failed and is gone: say so instead of a stack trace.
      throw new ImageFileException(file, size[0] + " x " + size[1]
          + " pixels do not fit in the memory Java was given (-Xmx; for lazyseg: "
          + "LAZYSEG_JAVA_OPTS)");
    }
  }

  /**
   * Checks what can be checked without decoding pixels, and returns the size as
   * {@code {width, height}}: the header, the pixel limit (see {@link #size}) and, for a PNG,
   * every chunk's CRC (a read of the whole file, far cheaper than decoding it).
   */
  public static int[] check(Path file) {
    int[] size = size(file);
    try {
      checkedPng(file);
    } catch (IOException | RuntimeException e) {
      throw asImageFileException(file, "unreadable image", e);
    }
    return size;
  }

  /** The bytes of a PNG whose chunk CRCs match; null when the file is not a PNG. */
  private static byte[] checkedPng(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(PngChunks.SIGNATURE.length);
    }
    if (!PngChunks.isPng(head)) {
      return null;
    }
    long bytes = Files.size(file);
    if (bytes > Integer.MAX_VALUE - 8) {
      // Files.readAllBytes would throw OutOfMemoryError: no Java array holds it.
      throw new ImageFileException(file, "a PNG of " + bytes + " bytes, more than we read"
          + " (2 GB)");
    }
    byte[] png = Files.readAllBytes(file);
    PngChunks.check(file, png);
    return png;
  }

  /** Reads the raw raster (palette indices, stored sample values); see {@link #readBufferedImage}. */
  public static Raster readRaster(Path file) {
    return readBufferedImage(file).getRaster();
  }

  private static ImageReader reader(Path file, ImageInputStream in) {
    if (in == null) {
      throw new ImageFileException(file, "cannot open for reading");
    }
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new ImageFileException(file, NOT_AN_IMAGE);
    }
    ImageReader reader = readers.next();
    reader.setInput(in, false, true);
    return reader;
  }

  /**
   * The reader to decode with: the first one, except for float samples: TwelveMonkeys clamps
   * those to [0, 1] (its TIFFImageReader.normalizeColor), so values readImage would map from
   * their range come out cut off, and infinities as 1; the JDK's own TIFF reader keeps them.
   */
  static ImageReader decoder(Path file, ImageInputStream in) throws IOException {
    ImageReader reader = reader(file, in);
    if (!reader.getClass().getName().startsWith("com.twelvemonkeys.")) {
      return reader;
    }
    ImageTypeSpecifier type = reader.getRawImageType(0);
    int samples = type == null ? DataBuffer.TYPE_UNDEFINED : type.getSampleModel().getDataType();
    if (samples != DataBuffer.TYPE_FLOAT && samples != DataBuffer.TYPE_DOUBLE) {
      return reader;
    }
    in.seek(0);
    for (Iterator<ImageReader> it = ImageIO.getImageReaders(in); it.hasNext(); ) {
      ImageReader other = it.next();
      if (!other.getClass().getName().startsWith("com.twelvemonkeys.")) {
        reader.dispose();
        in.seek(0);
        other.setInput(in, false, true);
        return other;
      }
    }
    in.seek(0);
    return reader;
  }

  private static int[] checkedSize(Path file, ImageReader reader, int page) throws IOException {
    int w = reader.getWidth(page), h = reader.getHeight(page);
    if (w <= 0 || h <= 0) {
      throw new ImageFileException(file, "damaged header: size " + w + " x " + h);
    }
    long max;
    try {
      max = maxPixels();
    } catch (IllegalArgumentException e) {
      throw new ImageFileException(file, "cannot check its size: " + e.getMessage());
    }
    if ((long) w * h > max) {
      throw new ImageFileException(file, w + " x " + h + " = " + (long) w * h
          + " pixels, more than the limit of " + max + "; to read it, raise the limit with the"
          + " Java option -D" + MAX_PIXELS_PROPERTY + "=" + (long) w * h
          + " (lazyseg: in LAZYSEG_JAVA_OPTS, with a heap to match)");
    }
    return new int[] {w, h};
  }

  static ImageFileException asImageFileException(Path file, String what, Exception e) {
    return e instanceof ImageFileException ife ? ife
        : new ImageFileException(file, what + " (" + reason(e) + ")");
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
    String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  /**
   * Reads an image as floats in [0, 1], 1 channel (grey) or 3 (colour; alpha is dropped):
   * <ul>
   *   <li>palette (indexed-colour) images: the colours the palette shows, grey when every
   *       palette entry is grey, else RGB; so a 1-, 2- or 4-bit grey PNG (a palette of greys
   *       to ImageIO) reads 0 .. 1 in its own steps (1-bit: 0 and 1);
   *   <li>integer samples of up to 8 bits: value / (2^bits - 1), so 8-bit / 255;
   *   <li>integer samples of more than 8 bits: value / (2^b - 1) with b the smallest of 8,
   *       10, 12, 14, 16 that holds the image's largest value (its effective bit depth);
   *       signed samples with negative values: min .. max mapped to 0 .. 1;
   *   <li>float samples: as they are when all lie in [0, 1], else min .. max mapped to
   *       0 .. 1; a NaN or infinite value is an {@link ImageFileException}.
   * </ul>
   */
  public static FloatImage readImage(Path file) {
    return toFloats(file, readBufferedImage(file), -1);
  }

  /**
   * A decoded image of {@code file} as {@link #readImage} gives it, except that the effective
   * bit depth of integer samples of more than 8 bits comes from {@code largest} when it is
   * >= 0 (the largest value of a whole stack, so that its planes share one scale). Public
   * for front ends that hold decoded pixels (Fiji): their images are then scaled exactly as
   * the same pixels read from a file; {@code file} only names the source in messages.
   */
  public static FloatImage toFloats(Path file, BufferedImage img, long largest) {
    Raster r = img.getRaster();
    if (img.getColorModel() instanceof IndexColorModel palette) {
      return paletteColours(file, r, palette);
    }
    int bands = r.getNumBands();
    int channels = bands == 2 ? 1 : Math.min(bands, 3);
    int type = r.getDataBuffer().getDataType();
    if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) {
      return floats(file, r, channels);
    }
    int bits = r.getSampleModel().getSampleSize(0);
    if (bits <= 8) {
      return scaled(r, channels, 0, 1f / ((1 << bits) - 1));
    }
    long[] range = intRange(r, channels);
    if (range[0] < 0) {
      return scaled(r, channels, range[0], range[1] > range[0] ? 1f / (range[1] - range[0]) : 0f);
    }
    long max = largest >= 0 ? Math.max(largest, range[1]) : range[1];
    return scaled(r, channels, 0, (float) (1.0 / ((1L << effectiveBits(max, bits)) - 1)));
  }

  /**
   * The largest integer sample of a decoded image whose samples {@link #readImage} scales by
   * their effective bit depth (more than 8 bits, no palette, no negative value); -1 for any
   * other image.
   */
  public static long largestScaledValue(BufferedImage img) {
    Raster r = img.getRaster();
    int type = r.getDataBuffer().getDataType();
    if (img.getColorModel() instanceof IndexColorModel || type == DataBuffer.TYPE_FLOAT
        || type == DataBuffer.TYPE_DOUBLE || r.getSampleModel().getSampleSize(0) <= 8) {
      return -1;
    }
    int bands = r.getNumBands();
    long[] range = intRange(r, bands == 2 ? 1 : Math.min(bands, 3));
    return range[0] < 0 ? -1 : range[1];
  }

  /**
   * The bit depth the values of an image of more than 8 bits use, as ImageJ shows 16-bit
   * images: cameras store 10-, 12- or 14-bit values in 16-bit files without saying so, and
   * dividing a 12-bit image (values 0..4095) by 65535 gives a picture 16 times too dark to
   * anything trained on 8-bit images. Chosen per image from its largest value, so a very
   * dark 16-bit image can come out brighter than its neighbours of the same camera.
   */
  static int effectiveBits(long max, int sampleBits) {
    for (int b = 8; b <= 16; b += 2) {
      if (max <= (1L << b) - 1) {
        return b;
      }
    }
    return Math.min(sampleBits, 32);
  }

  /** Channels {@code < channels} of {@code r} as (value - offset) * scale. */
  private static FloatImage scaled(Raster r, int channels, long offset, float scale) {
    int w = r.getWidth(), h = r.getHeight();
    FloatImage out = new FloatImage(w, h, channels);
    float[] d = out.data();
    int[] row = new int[w];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, c, row);
        int o = (c * h + y) * w;
        for (int x = 0; x < w; x++) {
          d[o + x] = (row[x] - offset) * scale;
        }
      }
    }
    return out;
  }

  /** {min, max} of the integer samples of channels {@code < channels}. */
  private static long[] intRange(Raster r, int channels) {
    int w = r.getWidth(), h = r.getHeight();
    long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
    int[] row = new int[w];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, c, row);
        for (int v : row) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    return new long[] {min, max};
  }

  private static FloatImage floats(Path file, Raster r, int channels) {
    int w = r.getWidth(), h = r.getHeight();
    FloatImage out = new FloatImage(w, h, channels);
    float[] d = out.data();
    double[] row = new double[w];
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, c, row);
        int o = (c * h + y) * w;
        for (int x = 0; x < w; x++) {
          double v = row[x];
          if (!Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
            throw new ImageFileException(file, "pixel " + x + "," + y + " (channel " + c + ") is "
                + v + ": a float image must hold finite numbers");
          }
          d[o + x] = (float) v;
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (min < 0 || max > 1) {
      double range = max - min;
      for (int i = 0; i < d.length; i++) {
        // A constant image outside [0, 1] has no range to map: clamp it.
        d[i] = range > 0 ? (float) ((d[i] - min) / range) : Math.max(0f, Math.min(1f, d[i]));
      }
    }
    return out;
  }

  /** The colours a palette image shows: grey (1 channel) when all entries are grey, else RGB. */
  private static FloatImage paletteColours(Path file, Raster r, IndexColorModel palette) {
    int[] argb = new int[palette.getMapSize()];
    palette.getRGBs(argb);
    boolean grey = true;
    for (int p : argb) {
      grey &= (p >> 16 & 0xFF) == (p & 0xFF) && (p >> 8 & 0xFF) == (p & 0xFF);
    }
    int w = r.getWidth(), h = r.getHeight();
    FloatImage out = new FloatImage(w, h, grey ? 1 : 3);
    float[] d = out.data();
    int plane = w * h;
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      r.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        if (row[x] >= argb.length) {
          throw new ImageFileException(file, "pixel " + x + "," + y + " has palette index "
              + row[x] + ", but the palette has " + argb.length + " colours");
        }
        int p = argb[row[x]];
        int i = y * w + x;
        if (grey) {
          d[i] = (p & 0xFF) * (1f / 255);
        } else {
          d[i] = (p >> 16 & 0xFF) * (1f / 255);
          d[plane + i] = (p >> 8 & 0xFF) * (1f / 255);
          d[2 * plane + i] = (p & 0xFF) * (1f / 255);
        }
      }
    }
    return out;
  }

  /**
   * Reads a single-channel integer image (8 or 16 bit, or 32-bit TIFF) as labels, unscaled.
   * A palette image gives its palette indices, not its colours: label maps saved with a
   * palette (PASCAL VOC and many annotation tools) store the class id as the index and use
   * the palette only to show it.
   */
  public static LabelImage readLabels(Path file) {
    Raster r = readRaster(file);
    int type = r.getDataBuffer().getDataType();
    if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) {
      throw new ImageFileException(file, "a label image must hold integers (found "
          + (type == DataBuffer.TYPE_FLOAT ? "32" : "64") + "-bit float samples)");
    }
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
      Path tmp = newTempFile(parent, "." + file.getFileName(), ".tmp");
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

  /**
   * Writes {@code text} as UTF-8 to {@code file} atomically: into a temporary file beside it,
   * then renamed over it, so a kill leaves the old file or the new one, never half of one.
   */
  public static void writeText(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = newTempFile(parent, "." + file.getFileName(), ".tmp");
      try {
        Files.writeString(tmp, text, java.nio.charset.StandardCharsets.UTF_8);
        moveAtomically(tmp, file);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A new empty file {@code PREFIX<random>SUFFIX} in {@code dir} for an atomic write, with the
   * permissions of any new file (the umask's, e.g. rw-r--r--).
   * {@link Files#createTempFile} makes it owner-only (rw-------), and renamed over the target
   * the output would then be unreadable to the other users of a shared lab machine.
   */
  public static Path newTempFile(Path dir, String prefix, String suffix) throws IOException {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve(prefix + Long.toUnsignedString(random.nextLong(), 36) + suffix);
      try {
        return Files.createFile(tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
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
