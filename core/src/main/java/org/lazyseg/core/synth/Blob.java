package org.lazyseg.core.synth;

import java.util.Random;

/**
 * One object before rasterisation: a centre, a class and an outline given as a gauge
 * function (below 1 inside, exactly 1 on the outline, growing outwards). Growing every blob
 * at once and giving each pixel to the blob of smallest gauge makes overlapping neighbours
 * share a common interface, the way bubbles and crystals press against each other in foam.
 */
final class Blob {
  final int classId;
  final double cx;
  final double cy;
  /** Nominal radius: what the placement keeps apart. */
  final double radius;
  /** No point farther than this from the centre has a gauge at most 1. */
  final double reach;
  private final Outline outline;
  /** Texture direction (radians) and period (pixels) of a crystal's streaks. */
  final double streakAngle;
  final double streakPeriod;
  final double streakPhase;
  /** Interior brightness offset, so objects of one class are not all alike. */
  final double brightnessOffset;

  private Blob(int classId, double cx, double cy, double radius, double reach, Outline outline,
      Random rnd) {
    this.classId = classId;
    this.cx = cx;
    this.cy = cy;
    this.radius = radius;
    this.reach = reach;
    this.outline = outline;
    this.streakAngle = rnd.nextDouble() * Math.PI;
    this.streakPeriod = 3.5 + 2.5 * rnd.nextDouble();
    this.streakPhase = rnd.nextDouble() * 2 * Math.PI;
    this.brightnessOffset = (rnd.nextDouble() - 0.5) * 0.1;
  }

  double gauge(double x, double y) {
    return outline.gauge(x - cx, y - cy);
  }

  private interface Outline {
    double gauge(double dx, double dy);
  }

  /** A roundish bubble: a circle whose radius wobbles a little with the angle. */
  static Blob bubble(double cx, double cy, double radius, Random rnd) {
    int lobes = 2 + rnd.nextInt(3);
    double wobble = 0.04 + 0.06 * rnd.nextDouble();
    double phase = rnd.nextDouble() * 2 * Math.PI;
    Outline o = (dx, dy) -> Math.hypot(dx, dy)
        / (radius * (1 + wobble * Math.cos(lobes * Math.atan2(dy, dx) + phase)));
    return new Blob(FoamGenerator.BUBBLE, cx, cy, radius, radius * (1 + wobble) + 1, o, rnd);
  }

  /**
   * An elongated convex polygon: the intersection of 5 to 7 half-planes around an ellipse
   * whose long axis points in a random direction. Its gauge is the largest ratio of the
   * point's projection on a face normal to that face's distance.
   */
  static Blob crystal(double cx, double cy, double radius, Random rnd) {
    double along = radius * (1.15 + 0.45 * rnd.nextDouble());
    double across = radius * (0.6 + 0.25 * rnd.nextDouble());
    double axis = rnd.nextDouble() * Math.PI;
    double cos = Math.cos(axis), sin = Math.sin(axis);
    int faces = 5 + rnd.nextInt(3);
    double[] nx = new double[faces], ny = new double[faces], offset = new double[faces];
    double start = rnd.nextDouble() * 2 * Math.PI;
    for (int k = 0; k < faces; k++) {
      // Evenly spaced normals with jitter keep every gap below 180 degrees, so the polygon is bounded.
      double a = start + 2 * Math.PI * (k + 0.35 * (rnd.nextDouble() - 0.5)) / faces;
      nx[k] = Math.cos(a);
      ny[k] = Math.sin(a);
      offset[k] = 0.8 + 0.2 * rnd.nextDouble();
    }
    Outline o = (dx, dy) -> {
      double u = (dx * cos + dy * sin) / along;
      double v = (-dx * sin + dy * cos) / across;
      double g = 0;
      for (int k = 0; k < faces; k++) {
        g = Math.max(g, (u * nx[k] + v * ny[k]) / offset[k]);
      }
      return g;
    };
    // A face of a 5-gon may lie up to 1/cos(36 deg + jitter) ~ 1.5 times beyond its offset.
    return new Blob(FoamGenerator.CRYSTAL, cx, cy, radius, along * 1.6 + 1, o, rnd);
  }
}
