package org.lazyseg.core.synth;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Places blobs by dart throwing and grows them into touching regions.
 *
 * <p>Darts: a candidate centre is kept when it lies at least {@code spacing x (r_i + r_j)}
 * from every kept centre. With spacing below 1 the nominal outlines overlap, and giving each
 * pixel to the blob of smallest gauge turns the overlap into a shared interface (a weighted
 * Voronoi diagram cut off at each blob's outline); where darts leave holes, background shows.
 */
final class FoamLayout {
  final int width;
  final int height;
  /** Blobs kept after growth; blob {@code i} has instance id {@code i + 1}. */
  final List<Blob> blobs;
  /** Instance id per pixel, 0 for background. */
  final int[] instances;

  private FoamLayout(int width, int height, List<Blob> blobs, int[] instances) {
    this.width = width;
    this.height = height;
    this.blobs = blobs;
    this.instances = instances;
  }

  static FoamLayout generate(int width, int height, FoamGenerator.Settings s, Random rnd) {
    List<Blob> darts = throwDarts(width, height, s, rnd);
    int[] owner = grow(width, height, darts);
    keepLargestPieces(owner, width, height);
    return renumber(width, height, darts, owner, s.minArea());
  }

  private static List<Blob> throwDarts(int width, int height, FoamGenerator.Settings s, Random rnd) {
    List<Blob> kept = new ArrayList<>();
    double margin = 0.5 * s.meanRadius();
    for (int attempt = 0; attempt < s.dartAttempts(); attempt++) {
      double r = s.meanRadius() * (0.6 + 0.8 * rnd.nextDouble());
      // Centres may lie a little outside the image, so objects are cut by the border as in real crops.
      double x = -margin + rnd.nextDouble() * (width + 2 * margin);
      double y = -margin + rnd.nextDouble() * (height + 2 * margin);
      boolean free = true;
      for (Blob b : kept) {
        if (Math.hypot(x - b.cx, y - b.cy) < s.spacing() * (r + b.radius)) {
          free = false;
          break;
        }
      }
      if (free) {
        kept.add(rnd.nextDouble() < s.crystalFraction()
            ? Blob.crystal(x, y, r, rnd) : Blob.bubble(x, y, r, rnd));
      }
    }
    return kept;
  }

  /** Owner blob index + 1 per pixel (0 = none): the blob of smallest gauge, if at most 1. */
  private static int[] grow(int width, int height, List<Blob> blobs) {
    int[] owner = new int[width * height];
    float[] best = new float[width * height];
    Arrays.fill(best, 1f);
    for (int i = 0; i < blobs.size(); i++) {
      Blob b = blobs.get(i);
      int x0 = Math.max(0, (int) Math.floor(b.cx - b.reach));
      int x1 = Math.min(width - 1, (int) Math.ceil(b.cx + b.reach));
      int y0 = Math.max(0, (int) Math.floor(b.cy - b.reach));
      int y1 = Math.min(height - 1, (int) Math.ceil(b.cy + b.reach));
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          double g = b.gauge(x, y);
          int p = y * width + x;
          if (g <= best[p]) {
            best[p] = (float) g;
            owner[p] = i + 1;
          }
        }
      }
    }
    return owner;
  }

  /**
   * Keeps only the largest 4-connected piece of each label; the rest becomes background.
   * Weighted Voronoi cells can break into pieces, and an instance must be one region.
   */
  static void keepLargestPieces(int[] labels, int width, int height) {
    int[] piece = new int[labels.length];
    List<Integer> pieceLabel = new ArrayList<>();
    List<Integer> pieceSize = new ArrayList<>();
    pieceLabel.add(0);
    pieceSize.add(0);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int start = 0; start < labels.length; start++) {
      if (labels[start] == 0 || piece[start] != 0) {
        continue;
      }
      int id = pieceLabel.size();
      int size = 0;
      piece[start] = id;
      queue.add(start);
      while (!queue.isEmpty()) {
        int p = queue.poll();
        size++;
        int x = p % width, y = p / width;
        int[] next = {x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1,
            y > 0 ? p - width : -1, y < height - 1 ? p + width : -1};
        for (int q : next) {
          if (q >= 0 && piece[q] == 0 && labels[q] == labels[start]) {
            piece[q] = id;
            queue.add(q);
          }
        }
      }
      pieceLabel.add(labels[start]);
      pieceSize.add(size);
    }
    int maxLabel = Arrays.stream(labels).max().orElse(0);
    int[] largest = new int[maxLabel + 1];
    int[] largestSize = new int[maxLabel + 1];
    for (int id = 1; id < pieceLabel.size(); id++) {
      int l = pieceLabel.get(id);
      if (pieceSize.get(id) > largestSize[l]) {
        largestSize[l] = pieceSize.get(id);
        largest[l] = id;
      }
    }
    for (int p = 0; p < labels.length; p++) {
      if (labels[p] != 0 && largest[labels[p]] != piece[p]) {
        labels[p] = 0;
      }
    }
  }

  /** Drops blobs smaller than {@code minArea} pixels and numbers the rest 1..n. */
  private static FoamLayout renumber(int width, int height, List<Blob> blobs, int[] owner, int minArea) {
    int[] area = new int[blobs.size() + 1];
    for (int o : owner) {
      area[o]++;
    }
    int[] newId = new int[blobs.size() + 1];
    List<Blob> kept = new ArrayList<>();
    for (int i = 1; i <= blobs.size(); i++) {
      if (area[i] >= minArea) {
        kept.add(blobs.get(i - 1));
        newId[i] = kept.size();
      }
    }
    for (int p = 0; p < owner.length; p++) {
      owner[p] = newId[owner[p]];
    }
    return new FoamLayout(width, height, kept, owner);
  }
}
