package org.lazyseg.fiji;

import ij.ImagePlus;
import ij.gui.Line;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.plugin.Duplicator;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.lazyseg.core.data.DatasetLabels;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/**
 * ImageJ images and selections as LazySeg sees them: a plane of an {@link ImagePlus} as a
 * {@link FloatImage} scaled exactly as the same pixels read from a file ({@link
 * ImageFiles#toFloats}), a selection as the pixels it covers, and the dataset image that a
 * plane is labelled as.
 */
final class Images {
  private Images() {}

  /** A user's mistake, reported as one message (never a stack trace). */
  static final class Problem extends RuntimeException {
    Problem(String message) {
      super(message);
    }
  }

  /**
   * The plane (z, t from 1) of {@code imp} with all its channels (an RGB image's three);
   * integer samples of more than 8 bits are scaled by the effective bit depth of {@code
   * largest} (the largest value of the whole stack, see {@link #largest}).
   */
  static FloatImage plane(ImagePlus imp, int z, int t, long largest) {
    int w = imp.getWidth(), h = imp.getHeight(), nc = imp.getNChannels();
    if (imp.getType() == ImagePlus.COLOR_RGB || nc == 1) {
      return floats(imp, imp.getStack().getProcessor(imp.getStackIndex(1, z, t)), largest);
    }
    FloatImage out = new FloatImage(w, h, nc);
    for (int c = 1; c <= nc; c++) {
      FloatImage one = floats(imp, imp.getStack().getProcessor(imp.getStackIndex(c, z, t)),
          largest);
      System.arraycopy(one.data(), 0, out.data(), (c - 1) * w * h, w * h);
    }
    return out;
  }

  private static FloatImage floats(ImagePlus imp, ImageProcessor ip, long largest) {
    return ImageFiles.toFloats(Path.of(imp.getTitle()), buffered(ip), largest);
  }

  /** The largest sample of a 16-bit image (all planes and channels); -1 for other types. */
  static long largest(ImagePlus imp) {
    if (imp.getBitDepth() != 16) {
      return -1;
    }
    long max = 0;
    for (int i = 1; i <= imp.getStackSize(); i++) {
      for (short v : (short[]) imp.getStack().getPixels(i)) {
        max = Math.max(max, v & 0xffff);
      }
    }
    return max;
  }

  /** The processor's pixels, unscaled, as a BufferedImage of the same sample type. */
  static BufferedImage buffered(ImageProcessor ip) {
    int w = ip.getWidth(), h = ip.getHeight();
    if (ip instanceof ColorProcessor) {
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      img.setRGB(0, 0, w, h, (int[]) ip.getPixels(), 0, w);
      return img;
    }
    if (ip instanceof ByteProcessor) {
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      img.getRaster().setDataElements(0, 0, w, h, ip.getPixels());
      return img;
    }
    if (ip instanceof ShortProcessor) {
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
      img.getRaster().setDataElements(0, 0, w, h, ip.getPixels());
      return img;
    }
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
        new int[] {32}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
    WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
    raster.setDataElements(0, 0, w, h, ((FloatProcessor) ip.convertToFloat()).getPixels());
    return new BufferedImage(cm, raster, false, null);
  }

  /** ImageJ's image of label ids: 16-bit while they fit, else 32-bit. */
  static ImageProcessor labelProcessor(LabelImage labels) {
    int w = labels.width(), h = labels.height();
    int[] d = labels.data();
    if (labels.max() <= 65535) {
      short[] s = new short[d.length];
      for (int i = 0; i < d.length; i++) {
        s[i] = (short) d[i];
      }
      return new ShortProcessor(w, h, s, null);
    }
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = d[i];
    }
    return new FloatProcessor(w, h, f);
  }

  /**
   * The pixels a selection covers in a {@code width} x {@code height} image, as a 0/1 label
   * image: an area's inside, a line drawn with its width (at least 1 pixel), a point's disc
   * of radius 2.
   *
   * @throws Problem for no selection, one outside the image or one that covers no pixel
   */
  static LabelImage region(Roi roi, int width, int height) {
    if (roi == null) {
      throw new Problem("no selection: draw one on the image first (rectangle, oval, polygon,"
          + " freehand, line or point)");
    }
    Rectangle b = roi.getBounds();
    if (b.x >= width || b.y >= height || b.x + Math.max(1, b.width) <= 0
        || b.y + Math.max(1, b.height) <= 0) {
      throw new Problem("the selection (" + b.width + " x " + b.height + " at " + b.x + ","
          + b.y + ") lies outside the " + width + " x " + height + " image");
    }
    ByteProcessor mask = new ByteProcessor(width, height);
    mask.setValue(255);
    if (roi instanceof PointRoi points) {
      for (Point p : points.getContainedPoints()) {
        mask.fillOval(p.x - 2, p.y - 2, 5, 5);
      }
    } else if (roi.isLine()) {
      mask.setLineWidth(Math.max(1, Math.round(roi.getStrokeWidth())));
      roi.drawPixels(mask);
    } else {
      mask.fill(roi);
    }
    byte[] px = (byte[]) mask.getPixels();
    int[] out = new int[px.length];
    int n = 0;
    for (int i = 0; i < px.length; i++) {
      if (px[i] != 0) {
        out[i] = 1;
        n++;
      }
    }
    if (n == 0 || (roi.isArea() && (b.width == 0 || b.height == 0))
        || (roi.isLine() && lineLength(roi) == 0)) {
      throw new Problem("the selection covers no pixel of the image (zero area): draw a larger"
          + " one");
    }
    return new LabelImage(width, height, out);
  }

  /** A line selection's length in pixels (uncalibrated), along all its segments. */
  static double lineLength(Roi roi) {
    if (roi instanceof Line line) {
      return Point2D.distance(line.x1d, line.y1d, line.x2d, line.y2d);
    }
    var poly = roi.getFloatPolygon();
    double length = 0;
    for (int k = 1; k < poly.npoints; k++) {
      length += Point2D.distance(poly.xpoints[k - 1], poly.ypoints[k - 1], poly.xpoints[k],
          poly.ypoints[k]);
    }
    return length;
  }

  /** The (z, t) of the plane shown, from 1. */
  static int[] position(ImagePlus imp) {
    return imp.isHyperStack() || imp.getNFrames() > 1
        ? new int[] {imp.getZ(), imp.getT()} : new int[] {imp.getCurrentSlice(), 1};
  }

  /** A plane's name suffix as lazyseg predict names planes: "", _z0003, _t0002, _t0002_z0013. */
  static String planeSuffix(ImagePlus imp, int z, int t) {
    boolean zs = imp.getNSlices() > 1 || (imp.getStackSize() > 1 && imp.getNFrames() == 1
        && imp.getNChannels() == 1);
    boolean ts = imp.getNFrames() > 1;
    return (ts ? String.format(Locale.ROOT, "_t%04d", t) : "")
        + (zs ? String.format(Locale.ROOT, "_z%04d", z) : "");
  }

  /**
   * The id, in the dataset of {@code labels}, of the plane of {@code imp} shown: the image's
   * own when it was opened from the dataset's images/ folder; else its title (without
   * extension, other characters than letters, digits, '.', '-' and '_' made '_') plus the
   * plane's suffix, saved as images/ID.tif (that plane, all its channels, as ImageJ saves
   * it) unless the dataset has that image already (with {@code save}; else the id only).
   */
  static String datasetImage(ImagePlus imp, DatasetLabels labels, boolean save)
      throws IOException {
    int[] zt = position(imp);
    FileInfo info = imp.getOriginalFileInfo();
    if (info != null && info.directory != null && info.fileName != null
        && imp.getStackSize() == 1) {
      Path file = Path.of(info.directory, info.fileName).toAbsolutePath().normalize();
      if (file.getParent().equals(labels.dir().resolve("images").toAbsolutePath().normalize())
          && ImageFiles.isImageFile(file)) {
        return ImageFiles.id(file);
      }
    }
    String title = imp.getTitle();
    int dot = title.lastIndexOf('.');
    String stem = dot > 0 ? title.substring(0, dot) : title;
    if (stem.endsWith(".ome")) {
      stem = stem.substring(0, stem.length() - 4);
    }
    String id = DatasetLabels.toId(stem) + planeSuffix(imp, zt[0], zt[1]);
    Optional<Path> existing = labels.imageFile(id);
    if (existing.isPresent()) {
      int[] size = ImageFiles.size(existing.get());
      if (size[0] != imp.getWidth() || size[1] != imp.getHeight()) {
        throw new Problem(existing.get() + " is " + size[0] + " x " + size[1] + ", not "
            + imp.getWidth() + " x " + imp.getHeight() + " as this image: the dataset has "
            + "another image of this name (rename this one)");
      }
      return id;
    }
    if (!save) {
      return id;
    }
    Roi roi = imp.getRoi();
    imp.deleteRoi();   // the Duplicator would crop to it
    ImagePlus plane;
    try {
      plane = new Duplicator().run(imp, 1, imp.getNChannels(), zt[0], zt[0], zt[1], zt[1]);
    } finally {
      imp.setRoi(roi);
    }
    Path images = labels.dir().resolve("images");
    Files.createDirectories(images);
    Path tmp = ImageFiles.newTempFile(images, "." + id, ".tif.tmp");
    try {
      if (!new FileSaver(plane).saveAsTiff(tmp.toString())) {
        throw new IOException("ImageJ could not save " + tmp);
      }
      ImageFiles.moveAtomically(tmp, images.resolve(id + ".tif"));
    } finally {
      Files.deleteIfExists(tmp);
    }
    return id;
  }
}
