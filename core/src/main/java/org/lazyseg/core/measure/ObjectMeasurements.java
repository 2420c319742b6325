package org.lazyseg.core.measure;

import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_NONE;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.arcLength;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.fitEllipse;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.RotatedRect;
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
 *   <li>ellipse: OpenCV's {@code fitEllipse} on the points of the outer contour(s) when there
 *       are at least 5, each axis plus one pixel (the contour runs through the centres of the
 *       edge pixels, half a pixel inside the object's edge on each side: a filled disc of
 *       radius r then gets axes of about 2r). Full axis lengths (not semi-axes); the angle of
 *       the major axis in degrees in [0, 180), counter-clockwise from the x axis as seen on the
 *       screen (ImageJ's convention); its perimeter by Ramanujan's approximation;
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
  }

  /**
   * One object's measurements (see the class comment).
   *
   * @param object its id in the instance image
   * @param classId its class id (0 when the class image has none of its pixels)
   * @param ellipse null when the outer contour has fewer than 5 points
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
      int bw = table.maxX[o] - table.minX[o] + 1, bh = table.maxY[o] - table.minY[o] + 1;
      Outline outline = outline(table, o);
      out.add(new Measurement(table.ids[o], classes == null ? 1 : majorityClass(table, o, classes, votes),
          n, outline.perimeter, sx / n, sy / n, table.minX[o], table.minY[o], bw, bh,
          outline.ellipse, intensity / n));
    }
    return out;
  }

  private record Outline(double perimeter, Ellipse ellipse) {}

  /** The outer contours of object {@code o}, found in its bounding box with a 1-pixel margin. */
  private static Outline outline(ObjectTable table, int o) {
    int x0 = table.minX[o] - 1, y0 = table.minY[o] - 1;
    int bw = table.maxX[o] - table.minX[o] + 3, bh = table.maxY[o] - table.minY[o] + 3;
    byte[] mask = new byte[bw * bh];
    for (int i : table.pixels[o]) {
      mask[(i / table.width - y0) * bw + (i % table.width - x0)] = (byte) 255;
    }
    double perimeter = 0;
    List<int[]> points = new ArrayList<>();
    int total = 0;
    try (Mat m = Mats.bytes(mask, bw, bh); MatVector contours = new MatVector()) {
      findContours(m, contours, RETR_EXTERNAL, CHAIN_APPROX_NONE);
      for (long k = 0; k < contours.size(); k++) {
        try (Mat c = contours.get(k)) {
          perimeter += arcLength(c, true);
          int[] xy = new int[2 * c.rows()];
          ((IntBuffer) c.createBuffer()).get(xy);
          points.add(xy);
          total += c.rows();
        }
      }
    }
    return new Outline(perimeter, total >= 5 ? ellipse(points, total) : null);
  }

  private static Ellipse ellipse(List<int[]> points, int total) {
    try (Mat all = new Mat(total, 1, CV_32SC2)) {
      IntBuffer buf = all.createBuffer();
      for (int[] xy : points) {
        buf.put(xy);
      }
      RotatedRect r = fitEllipse(all);
      double w = r.size().width(), h = r.size().height();
      // OpenCV: the angle (degrees) turns the width side from the x axis towards the y axis,
      // which points down: clockwise on the screen.
      double clockwise = w >= h ? r.angle() : r.angle() + 90;
      double angle = ((-clockwise) % 180 + 180) % 180;
      r.close();
      return new Ellipse(Math.max(w, h) + 1, Math.min(w, h) + 1, angle);
    }
  }

  private static int majorityClass(ObjectTable table, int o, LabelImage classes, int[] votes) {
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
