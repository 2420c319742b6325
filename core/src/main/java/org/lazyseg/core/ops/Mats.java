package org.lazyseg.core.ops;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.lazyseg.core.image.LabelImage;

/**
 * Conversions between our images and OpenCV {@link Mat}s. Each costs one copy; callers own
 * the returned Mat and close it (try-with-resources).
 */
public final class Mats {
  private Mats() {}

  /** An 8-bit mask: 255 where the label is positive, 0 elsewhere. */
  public static Mat foregroundMask(LabelImage labels) {
    int[] d = labels.data();
    byte[] b = new byte[d.length];
    for (int i = 0; i < d.length; i++) {
      b[i] = (byte) -Math.min(1, Math.max(0, d[i]));   // 255 or 0, without a branch
    }
    return bytes(b, labels.width(), labels.height());
  }

  /** An 8-bit mask, 255 where {@code labels == value}. */
  public static Mat equalMask(LabelImage labels, int value) {
    int[] d = labels.data();
    byte[] b = new byte[d.length];
    for (int i = 0; i < d.length; i++) {
      b[i] = d[i] == value ? (byte) 255 : 0;
    }
    return bytes(b, labels.width(), labels.height());
  }

  public static Mat bytes(byte[] data, int width, int height) {
    Mat m = new Mat(height, width, CV_8UC1);
    ByteBuffer buf = m.createBuffer();
    buf.put(data);
    return m;
  }

  public static Mat ints(LabelImage labels) {
    Mat m = new Mat(labels.height(), labels.width(), CV_32SC1);
    IntBuffer buf = m.createBuffer();
    buf.put(labels.data());
    return m;
  }

  /** Copies a continuous CV_32SC1 Mat into a new LabelImage. */
  public static LabelImage toLabels(Mat m) {
    if (m.type() != CV_32SC1 || !m.isContinuous()) {
      throw new IllegalArgumentException("expected a continuous CV_32SC1 Mat, got type " + m.type());
    }
    int[] out = new int[m.rows() * m.cols()];
    IntBuffer buf = m.createBuffer();
    buf.get(out);
    return new LabelImage(m.cols(), m.rows(), out);
  }

  /** Copies a continuous CV_32FC1 Mat into a new row-major float array. */
  public static float[] toFloats(Mat m) {
    if (m.type() != CV_32FC1 || !m.isContinuous()) {
      throw new IllegalArgumentException("expected a continuous CV_32FC1 Mat, got type " + m.type());
    }
    float[] out = new float[m.rows() * m.cols()];
    FloatBuffer buf = m.createBuffer();
    buf.get(out);
    return out;
  }

  /** Copies a continuous CV_8UC1 Mat into a new byte array. */
  public static byte[] toBytes(Mat m) {
    if (m.type() != CV_8UC1 || !m.isContinuous()) {
      throw new IllegalArgumentException("expected a continuous CV_8UC1 Mat, got type " + m.type());
    }
    byte[] out = new byte[m.rows() * m.cols()];
    ByteBuffer buf = m.createBuffer();
    buf.get(out);
    return out;
  }
}
