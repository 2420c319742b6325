package org.lazyseg.core.synth;

import java.util.Random;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.DistanceTransforms;

/**
 * Paints a layout the way an SEM picture of frozen foam looks: a grainy matrix with uneven
 * illumination, bubbles as dark cavities with a bright rim, crystals as brighter faceted
 * bodies with oriented streaks and a dark edge; then optics blur and sensor noise.
 */
final class FoamRenderer {
  private static final double BACKGROUND = 0.45;
  private static final double BUBBLE_INTERIOR = 0.22;
  private static final double BUBBLE_RIM = 0.85;
  private static final double RIM_WIDTH = 1.3;
  private static final double CRYSTAL = 0.68;
  private static final double CRYSTAL_EDGE_DARKENING = 0.14;
  private static final double BLUR_SIGMA = 0.9;
  private static final double NOISE_SIGMA = 0.04;

  private FoamRenderer() {}

  static FloatImage render(FoamLayout layout, Random rnd) {
    int w = layout.width, h = layout.height;
    float[] edgeDistance = distanceToOtherRegions(layout);
    float[] grain = NoiseFields.smooth(w, h, 1.2, rnd);
    float[] speckle = NoiseFields.smooth(w, h, 0.6, rnd);
    float[] shading = NoiseFields.smooth(w, h, Math.max(w, h) / 4.0, rnd);
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        int id = layout.instances[p];
        double v;
        if (id == 0) {
          v = BACKGROUND + 0.05 * grain[p];
        } else {
          Blob b = layout.blobs.get(id - 1);
          double d = edgeDistance[p];
          v = b.classId == FoamGenerator.BUBBLE ? bubble(b, x, y, d) : crystal(b, x, y, d, speckle[p]);
        }
        out[p] = (float) (v * (1 + 0.12 * shading[p]));
      }
    }
    NoiseFields.blurInPlace(out, w, h, BLUR_SIGMA);
    for (int p = 0; p < out.length; p++) {
      out[p] = (float) Math.max(0, Math.min(1, out[p] + NOISE_SIGMA * rnd.nextGaussian()));
    }
    return new FloatImage(w, h, 1, out);
  }

  /** A cavity: darkest in the middle, lighter towards the wall, with a bright rim on the wall. */
  private static double bubble(Blob b, int x, int y, double edgeDistance) {
    double g = Math.min(1, b.gauge(x, y));
    double interior = BUBBLE_INTERIOR + b.brightnessOffset + 0.12 * g * g;
    double rim = Math.exp(-edgeDistance * edgeDistance / (2 * RIM_WIDTH * RIM_WIDTH));
    return interior + (BUBBLE_RIM - interior) * rim;
  }

  /** A bright body with parallel streaks in its own direction, speckle, and a darker edge. */
  private static double crystal(Blob b, int x, int y, double edgeDistance, float speckle) {
    double along = (x - b.cx) * Math.cos(b.streakAngle) + (y - b.cy) * Math.sin(b.streakAngle);
    double streaks = 0.07 * Math.sin(2 * Math.PI * along / b.streakPeriod + b.streakPhase);
    double edge = CRYSTAL_EDGE_DARKENING * Math.exp(-edgeDistance * edgeDistance / 2);
    return CRYSTAL + b.brightnessOffset + streaks + 0.05 * speckle - edge;
  }

  /**
   * For every pixel, the Euclidean distance to the nearest pixel whose 4-neighbour belongs to
   * another region (background counts as a region): 0 on both sides of every outline. One
   * transform for the whole image instead of one per object.
   */
  private static float[] distanceToOtherRegions(FoamLayout layout) {
    int w = layout.width, h = layout.height;
    int[] ids = layout.instances;
    LabelImage outline = new LabelImage(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        boolean differs = (x > 0 && ids[p - 1] != ids[p]) || (x < w - 1 && ids[p + 1] != ids[p])
            || (y > 0 && ids[p - w] != ids[p]) || (y < h - 1 && ids[p + w] != ids[p]);
        outline.data()[p] = differs ? 1 : 0;
      }
    }
    return DistanceTransforms.euclideanTo(outline);
  }
}
