package org.lazyseg.core.synth;

import static org.bytedeco.opencv.global.opencv_core.ALGO_HINT_ACCURATE;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import java.nio.FloatBuffer;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.lazyseg.core.ops.Mats;

/**
 * Smooth random fields: white Gaussian noise blurred by OpenCV and rescaled to unit standard
 * deviation, so that {@code sigma} sets only how smooth the field is, never how strong.
 */
public final class NoiseFields {
  private NoiseFields() {}

  /** A zero-mean, unit-deviation field whose features are about {@code sigma} pixels wide. */
  public static float[] smooth(int width, int height, double sigma, Random rnd) {
    float[] white = white(width, height, rnd);
    if (sigma > 0) {
      blurInPlace(white, width, height, sigma);
    }
    return standardise(white);
  }

  /** Independent standard normal values, one per pixel. */
  public static float[] white(int width, int height, Random rnd) {
    float[] out = new float[width * height];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) rnd.nextGaussian();
    }
    return out;
  }

  /** Gaussian blur of a row-major float plane (OpenCV, reflecting border). */
  public static void blurInPlace(float[] plane, int width, int height, double sigma) {
    try (Mat src = new Mat(height, width, CV_32FC1); Mat dst = new Mat(); Size auto = new Size(0, 0)) {
      FloatBuffer buf = src.createBuffer();
      buf.put(plane);
      // The accurate (non-approximating) kernel: same pixels on every CPU, so seeds reproduce.
      GaussianBlur(src, dst, auto, sigma, sigma, BORDER_REFLECT, ALGO_HINT_ACCURATE);
      float[] blurred = Mats.toFloats(dst);
      System.arraycopy(blurred, 0, plane, 0, plane.length);
    }
  }

  private static float[] standardise(float[] v) {
    double sum = 0, sq = 0;
    for (float x : v) {
      sum += x;
      sq += (double) x * x;
    }
    double mean = sum / v.length;
    double sd = Math.sqrt(Math.max(1e-12, sq / v.length - mean * mean));
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((v[i] - mean) / sd);
    }
    return v;
  }
}
