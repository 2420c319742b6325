package org.lazyseg.core.measure;

import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_NONE;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.arcLength;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Mats;

/**
 * Measurements of each object of an instance image (what {@code lazyseg predict --measure}
 * writes, see {@link ObjectsCsv}). Coordinates are pixel indices: the centre of the top-left
 * pixel is (0, 0), x to the right, y down (as OpenCV and scikit-image). Lengths are in pixels.
 *
 * <ul>
 *   <li>area: the object's pixels;
 *   <li>perimeter: OpenCV's {@code arcLength} of the object's outer contour (through the
 *       centres of its edge pixels, 8-connected; holes do not count; an object in several
 *       pieces: the sum over the pieces); a single pixel has perimeter 0;
 *   <li>centroid: the mean x and y of its pixels;
 *   <li>bounding box: the smallest pixel-aligned box holding it, (x, y) its top-left pixel;
 *   <li>ellipse: the ellipse with the object's second moments, each pixel a unit square (as
 *       ImageJ's "Fit Ellipse" and scikit-image's axis lengths): a filled disc of radius r
 *       gets axes of 2r, a filled ellipse its own axes, one pixel a circle of the pixel's area.
 *       Full axis lengths (not semi-axes); the angle of the major axis in degrees in
 *       [0, 180), counter-clockwise from the x axis as seen on the screen (ImageJ's
 *       convention); its perimeter by Ramanujan's approximation. (OpenCV's {@code fitEllipse}
 *       on the contour is not used: it answers differently from call to call when the contour's
 *       points lie on a line, and wrongly for objects two pixels thick.)
 *   <li>mean intensity: the mean over the object's pixels of the mean over the image's
 *       channels, on the scale the image is read in ([0, 1]: 8-bit values / 255, 16-bit /
 *       65535);
 *   <li>class: the class most of its pixels have in the class image (ties: the lower id).
 * </ul>
 */
public final class ObjectMeasurements {
  private ObjectMeasurements() {}

  /** An ellipse by its full axis lengths and the angle of its major axis (see the class comment). */
  public record Ellipse(double major, double minor, double angle) {
    /** Ramanujan's approximation of the circumference, in the axes' unit. */
    public double perimeter() {
      double a = major / 2, b = minor / 2;
      return Math.PI * (3 * (a + b) - Math.sqrt((3 * a + b) * (a + 3 * b)));
    }

    /**
     * The ellipse of the same object when x lengths are multiplied by {@code sx} and y lengths
     * by {@code sy} (a pixel {@code sx} wide and {@code sy} high): the second moments scale
     * exactly, so this is the ellipse that measuring the scaled object would give. With
     * {@code sx == sy} the axes scale by it and the angle stays.
     */
    public Ellipse scaled(double sx, double sy) {
      double t = Math.toRadians(angle);
      // The major axis points along (cos t, -sin t) in image coordinates (y down).
      double ux = Math.cos(t), uy = -Math.sin(t);
      double a = major * major / 16, b = minor * minor / 16;   // variances along the axes
      double xx = a * ux * ux + b * uy * uy, yy = a * uy * uy + b * ux * ux;
      double xy = (a - b) * ux * uy;
      return ellipse(xx * sx * sx, yy * sy * sy, xy * sx * sy);
    }
  }

  /**
   * One object's measurements (see the class comment).
   *
   * @param object its id in the instance image
   * @param classId its class id (0 when the class image has none of its pixels)
   */
  public record Measurement(int object, int classId, long area, double perimeter,
      double centroidX, double centroidY, int boxX, int boxY, int boxWidth, int boxHeight,
      Ellipse ellipse, double meanIntensity) {}

  /**
   * Measures every object of {@code instances} (0 = background, each positive id one object),
   * in ascending order of id.
   *
   * @param classes class ids of the same size (nullable: every class id is then 1)
   * @param image the image the objects were found in, of the same size
   */
  public static List<Measurement> measure(LabelImage instances, LabelImage classes, FloatImage image) {
    int w = instances.width(), h = instances.height();
    if (image.width() != w || image.height() != h || (classes != null && !classes.sameSize(w, h))) {
      throw new IllegalArgumentException("instances " + instances + ", classes " + classes
          + " and image " + image + " differ in size");
    }
    ObjectTable table = new ObjectTable(instances);
    float[] meanOverChannels = meanOverChannels(image);
    int[] votes = classes == null ? null : new int[Math.max(1, classes.max()) + 1];
    List<Measurement> out = new ArrayList<>(table.count);
    for (int o = 1; o <= table.count; o++) {
      double sx = 0, sy = 0, intensity = 0;
      for (int i : table.pixels[o]) {
        sx += i % w;
        sy += i / w;
        intensity += meanOverChannels[i];
      }
      int n = table.area[o];
      double cx = sx / n, cy = sy / n;
      double sxx = 0, syy = 0, sxy = 0;
      for (int i : table.pixels[o]) {
        double dx = i % w - cx, dy = i / w - cy;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
      }
      int bw = table.maxX[o] - table.minX[o] + 1, bh = table.maxY[o] - table.minY[o] + 1;
      out.add(new Measurement(table.ids[o], classes == null ? 1 : majorityClass(table, o, classes, votes),
          n, perimeter(table, o), cx, cy, table.minX[o], table.minY[o], bw, bh,
          ellipse(sxx / n + 1.0 / 12, syy / n + 1.0 / 12, sxy / n), intensity / n));
    }
    return out;
  }

  /**
   * The ellipse of second moments {@code xx}, {@code yy}, {@code xy} (a uniform ellipse of
   * semi-axes a, b has variances a²/4 and b²/4 along them).
   */
  static Ellipse ellipse(double xx, double yy, double xy) {
    double mean = (xx + yy) / 2, half = Math.sqrt((xx - yy) * (xx - yy) / 4 + xy * xy);
    double major = 4 * Math.sqrt(mean + half), minor = 4 * Math.sqrt(Math.max(0, mean - half));
    // The major axis turns by this angle from the x axis towards y, which points down.
    double clockwise = Math.toDegrees(0.5 * Math.atan2(2 * xy, xx - yy));
    double angle = ((-clockwise) % 180 + 180) % 180;
    return new Ellipse(major, minor, angle);
  }

  /**
   * The perimeter of each object of {@code instances} (as {@link Measurement#perimeter()}, in
   * ascending order of id) when a pixel is {@code sx} wide and {@code sy} high: each step of
   * the contour between neighbouring pixel centres counts its scaled length. With {@code sx ==
   * sy} it is the pixel perimeter times {@code sx}.
   */
  public static double[] perimeters(LabelImage instances, double sx, double sy) {
    ObjectTable table = new ObjectTable(instances);
    double[] out = new double[table.count];
    for (int o = 1; o <= table.count; o++) {
      out[o - 1] = sx == sy ? perimeter(table, o) * sx : perimeter(table, o, sx, sy);
    }
    return out;
  }

  /** The length of the outer contours of object {@code o}, found in its box plus a 1-pixel margin. */
  private static double perimeter(ObjectTable table, int o) {
    return perimeter(table, o, Double.NaN, Double.NaN);
  }

  /**
   * As {@link #perimeter(ObjectTable, int)}, with each contour step scaled by {@code sx} in x
   * and {@code sy} in y (NaN: OpenCV's arcLength in pixels).
   */
  private static double perimeter(ObjectTable table, int o, double sx, double sy) {
    int x0 = table.minX[o] - 1, y0 = table.minY[o] - 1;
    int bw = table.maxX[o] - table.minX[o] + 3, bh = table.maxY[o] - table.minY[o] + 3;
    byte[] mask = new byte[bw * bh];
    for (int i : table.pixels[o]) {
      mask[(i / table.width - y0) * bw + (i % table.width - x0)] = (byte) 255;
    }
    double perimeter = 0;
    try (Mat m = Mats.bytes(mask, bw, bh); MatVector contours = new MatVector()) {
      findContours(m, contours, RETR_EXTERNAL, CHAIN_APPROX_NONE);
      for (long k = 0; k < contours.size(); k++) {
        try (Mat c = contours.get(k)) {
          perimeter += Double.isNaN(sx) ? arcLength(c, true) : scaledLength(c, sx, sy);
        }
      }
    }
    return perimeter;
  }

  /** The length of a closed contour (CV_32SC2 points) with x scaled by sx and y by sy. */
  private static double scaledLength(Mat contour, double sx, double sy) {
    int n = contour.rows();
    double length = 0;
    try (IntIndexer p = contour.createIndexer()) {
      for (int k = 0; k < n; k++) {
        int j = (k + 1) % n;
        double dx = (p.get(j, 0, 0) - p.get(k, 0, 0)) * sx;
        double dy = (p.get(j, 0, 1) - p.get(k, 0, 1)) * sy;
        length += Math.sqrt(dx * dx + dy * dy);
      }
    }
    return length;
  }

  /** The class most of object {@code o}'s pixels have (ties: the lower id; 0 when none has one). */
  static int majorityClass(ObjectTable table, int o, LabelImage classes, int[] votes) {
    int[] c = classes.data();
    java.util.Arrays.fill(votes, 0);
    for (int i : table.pixels[o]) {
      if (c[i] > 0) {
        votes[c[i]]++;
      }
    }
    int best = 0;
    for (int k = 1; k < votes.length; k++) {
      if (votes[k] > votes[best]) {
        best = k;
      }
    }
    return best;
  }

  private static float[] meanOverChannels(FloatImage image) {
    int pixels = image.width() * image.height(), channels = image.channels();
    float[] d = image.data();
    float[] out = new float[pixels];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < pixels; i++) {
        out[i] += d[c * pixels + i] / channels;
      }
    }
    return out;
  }
}
