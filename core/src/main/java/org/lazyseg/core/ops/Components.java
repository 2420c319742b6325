package org.lazyseg.core.ops;

import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponents;

import org.bytedeco.opencv.opencv_core.Mat;
import org.lazyseg.core.image.LabelImage;

/** Connected-component labelling (OpenCV). */
public final class Components {
  private Components() {}

  /**
   * Labels the connected components of the positive pixels of {@code mask}: background 0,
   * components 1..n in raster order of their first pixel.
   */
  public static LabelImage label(LabelImage mask, Connectivity connectivity) {
    LabelImage labels;
    try (Mat bin = Mats.foregroundMask(mask); Mat lab = new Mat()) {
      connectedComponents(bin, lab, connectivity.neighbours(), CV_32S);
      labels = Mats.toLabels(lab);
    }
    // OpenCV's block-based scans (8-connected: 2 x 2 blocks) number by block, not by pixel:
    // a component starting at (0, 1) comes before one starting at (4, 0).
    return renumber(labels);
  }

  /**
   * Grows the labelled pixels of {@code labels} (ids > 0, changed in place) into the pixels
   * of {@code domain} (> 0) that hold no label, all at once in 4-connected steps through such
   * pixels only: each takes the label that reaches it first (the nearest along the domain; a
   * tie goes to the label first in raster order). Domain pixels that no label reaches stay 0.
   * Breadth-first by hand: OpenCV's watershed wants a colour image and floods by intensity,
   * not by distance within a mask.
   */
  public static void spread(int[] labels, int[] domain, int w, int h) {
    int[] queue = new int[w * h];
    int head = 0, tail = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] > 0) {
        queue[tail++] = i;
      }
    }
    while (head < tail) {
      int i = queue[head++];
      int x = i % w, y = i / w;
      for (int k = 0; k < 4; k++) {
        int nx = x + (k == 0 ? 1 : k == 1 ? -1 : 0), ny = y + (k == 2 ? 1 : k == 3 ? -1 : 0);
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
          continue;
        }
        int j = ny * w + nx;
        if (domain[j] > 0 && labels[j] == 0) {
          labels[j] = labels[i];
          queue[tail++] = j;
        }
      }
    }
  }

  /**
   * {@link #label} in {@code mask}'s own array (overwritten and returned): the same ids, with
   * no copy of the image. A two-pass scan in raster order: provisional labels with union-find,
   * then each set numbered by its first pixel (a component's first pixel in raster order
   * starts its smallest provisional label). Extra memory: 4 bytes per provisional label (one
   * per run of pixels with nothing labelled above or to the left: about one per object and
   * bump of its upper outline), where OpenCV's labelling copies the whole image twice.
   */
  public static LabelImage labelInPlace(LabelImage mask, Connectivity connectivity) {
    int w = mask.width(), h = mask.height();
    int[] d = mask.data();
    boolean eight = connectivity == Connectivity.EIGHT;
    UnionFind sets = new UnionFind(0);   // provisional label l is element l - 1
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i++) {
        if (d[i] <= 0) {
          d[i] = 0;
          continue;
        }
        int label = x > 0 ? d[i - 1] : 0;
        if (y > 0) {
          label = join(sets, label, d[i - w]);
          if (eight) {
            label = join(sets, label, x > 0 ? d[i - w - 1] : 0);
            label = join(sets, label, x < w - 1 ? d[i - w + 1] : 0);
          }
        }
        d[i] = label > 0 ? label : sets.add() + 1;
      }
    }
    int[] number = sets.numberSets();
    for (int i = 0; i < d.length; i++) {
      if (d[i] > 0) {
        d[i] = number[d[i] - 1];
      }
    }
    return mask;
  }

  /** The label of a pixel that touches {@code neighbour} (0: none) and has {@code label}. */
  private static int join(UnionFind sets, int label, int neighbour) {
    if (neighbour <= 0) {
      return label;
    }
    if (label > 0 && label != neighbour) {
      sets.union(label - 1, neighbour - 1);
      return label;
    }
    return neighbour;
  }

  /**
   * Renumbers the positive ids of {@code labels} in place to 1..n in raster order of their
   * first pixel (0 stays background); returns {@code labels}.
   */
  public static LabelImage renumber(LabelImage labels) {
    int[] d = labels.data();
    int max = 0;
    for (int v : d) {
      max = Math.max(max, v);
    }
    int[] rank = new int[max + 1];
    int next = 0;
    for (int i = 0; i < d.length; i++) {
      int v = d[i];
      if (v > 0) {
        int r = rank[v];
        if (r == 0) {
          r = rank[v] = ++next;
        }
        d[i] = r;
      }
    }
    return labels;
  }

  /**
   * Makes instance labels from any label image: a 0/1 or 0/255 mask is split into its
   * 4-connected components; an image that already holds several ids is kept as it is.
   */
  public static LabelImage instances(LabelImage labels) {
    int distinct = 0;
    int first = 0;
    for (int v : labels.data()) {
      if (v > 0) {
        if (distinct == 0) {
          first = v;
          distinct = 1;
        } else if (v != first) {
          distinct = 2;
          break;
        }
      }
    }
    return distinct <= 1 ? label(labels, Connectivity.FOUR) : labels;
  }

  /**
   * Pixels per id: {@code areas[k]} for each id k in 1..max; entry 0 counts the background
   * (every pixel of value 0 or below).
   */
  public static int[] areas(LabelImage labels) {
    int[] area = new int[Math.max(0, labels.max()) + 1];
    for (int v : labels.data()) {
      area[Math.max(0, v)]++;
    }
    return area;
  }

  /** Number of distinct positive ids (not assuming they are consecutive). */
  public static int countIds(LabelImage labels) {
    int max = Math.max(0, labels.max());
    boolean[] seen = new boolean[max + 1];
    int n = 0;
    for (int v : labels.data()) {
      if (v > 0 && !seen[v]) {
        seen[v] = true;
        n++;
      }
    }
    return n;
  }

  /**
   * A least object area for predictions, from annotated objects (instance-id images): a
   * quarter of the 5th percentile of their areas, so that speckle far smaller than the
   * objects an annotator draws is dropped while objects of every annotated size are kept. A
   * few tiny annotated specks do not pull it down (a percentile, not the minimum). 0 without
   * objects.
   */
  public static int leastObjectArea(Iterable<LabelImage> instanceImages) {
    java.util.List<Integer> areas = new java.util.ArrayList<>();
    for (LabelImage ids : instanceImages) {
      int[] a = areas(ids);
      for (int k = 1; k < a.length; k++) {
        if (a[k] > 0) {
          areas.add(a[k]);
        }
      }
    }
    if (areas.isEmpty()) {
      return 0;
    }
    java.util.Collections.sort(areas);
    return areas.get(areas.size() / 20) / 4;
  }
}
