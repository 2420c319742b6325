package org.lazyseg.core.ops;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.DIST_C;
import static org.bytedeco.opencv.global.opencv_imgproc.DIST_L2;
import static org.bytedeco.opencv.global.opencv_imgproc.DIST_MASK_3;
import static org.bytedeco.opencv.global.opencv_imgproc.DIST_MASK_PRECISE;
import static org.bytedeco.opencv.global.opencv_imgproc.distanceTransform;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.lazyseg.core.image.LabelImage;

/**
 * Distance transforms (OpenCV): for every pixel of a region, the distance to the nearest
 * pixel outside it; 0 outside the region. Exact Euclidean (Felzenszwalb-Huttenlocher in
 * OpenCV's DIST_MASK_PRECISE) and Chebyshev (L-infinity, exact with a 3x3 mask).
 */
public final class DistanceTransforms {
  private DistanceTransforms() {}

  /** Whether pixels beyond the image border count as outside the region. */
  public enum Border {
    /** Only pixels inside the image that are not in the region count as outside. */
    INSIDE_ONLY,
    /** The image is surrounded by outside pixels. */
    OUTSIDE
  }

  /** Exact Euclidean distance from each region pixel ({@code region > 0}) to the nearest non-region pixel. */
  public static float[] euclidean(LabelImage region, Border border) {
    return transform(region, false, border, DIST_L2, DIST_MASK_PRECISE);
  }

  /** Chebyshev (L-infinity) distance from each region pixel to the nearest non-region pixel. */
  public static float[] chebyshev(LabelImage region, Border border) {
    return transform(region, false, border, DIST_C, DIST_MASK_3);
  }

  /**
   * Euclidean distance from every pixel to the nearest pixel of {@code target} (> 0); 0 on
   * the target. With an empty target every distance is {@code Float.POSITIVE_INFINITY}.
   */
  public static float[] euclideanTo(LabelImage target) {
    return transform(target, true, Border.INSIDE_ONLY, DIST_L2, DIST_MASK_PRECISE);
  }

  /**
   * Distances from the pixels of the region ({@code labels > 0}, or {@code labels <= 0} when
   * {@code complement}) to the nearest pixel outside it. One pass builds OpenCV's 8-bit mask
   * and notices a region without outside pixels; one copy brings the distances back.
   */
  private static float[] transform(LabelImage labels, boolean complement, Border border,
      int type, int mask) {
    int[] d = labels.data();
    int w = labels.width(), h = labels.height();
    // With Border.OUTSIDE the mask gets a ring of outside pixels, written in the same pass.
    int pad = border == Border.OUTSIDE ? 1 : 0;
    int pw = w + 2 * pad, ph = h + 2 * pad;
    byte[] b = new byte[pw * ph];
    int flip = complement ? 1 : 0;
    int inside = 0;
    for (int y = 0; y < h; y++) {
      int src = y * w, dst = (y + pad) * pw + pad;
      for (int x = 0; x < w; x++) {
        // Branch-free (a mask's pixels are unpredictable branches): 1 inside, 0 outside.
        int in = Math.min(1, Math.max(0, d[src + x])) ^ flip;
        b[dst + x] = (byte) -in;   // 255
        inside += in;
      }
    }
    if (inside == d.length && pad == 0) {
      // OpenCV leaves huge values where no zero pixel exists; with no outside pixel at all
      // every distance is infinite.
      float[] inf = new float[d.length];
      java.util.Arrays.fill(inf, Float.POSITIVE_INFINITY);
      return inf;
    }
    // Images up to SCRATCH_PIXELS reuse this thread's OpenCV buffers: fresh native memory
    // costs page faults on every call (measured: about 15% of a 1024 x 1024 Chebyshev).
    boolean reuse = (long) pw * ph <= SCRATCH_PIXELS;
    Mat[] scratch = reuse ? SCRATCH.get() : new Mat[] {new Mat(), new Mat()};
    Mat bin = scratch[0], dist = scratch[1];
    try {
      bin.create(ph, pw, CV_8UC1);
      ByteBuffer in = bin.createBuffer();
      in.put(b);
      distanceTransform(bin, dist, type, mask);
      if (pad == 0) {
        return Mats.toFloats(dist);
      }
      float[] out = new float[w * h];
      FloatBuffer buf = dist.createBuffer();
      for (int y = 0; y < h; y++) {
        buf.position((y + 1) * pw + 1);
        buf.get(out, y * w, w);
      }
      return out;
    } finally {
      if (!reuse) {
        bin.close();
        dist.close();
      }
    }
  }

  /** Largest image (pixels) whose buffers a thread keeps: 4 Mpx, 20 MB of native memory. */
  private static final int SCRATCH_PIXELS = 1 << 22;
  /** Per thread: the 8-bit input and the float output of the last transform. */
  private static final ThreadLocal<Mat[]> SCRATCH =
      ThreadLocal.withInitial(() -> new Mat[] {new Mat(), new Mat()});
}
