package org.lazyseg.core.weak;

import org.lazyseg.core.image.LabelImage;

/**
 * An axis-aligned pixel rectangle with inclusive corners: columns {@code x0..x1}, rows
 * {@code y0..y1}. Lets the weak-label operations work on the few pixels around one object
 * instead of the whole image.
 */
record Box(int x0, int y0, int x1, int y1) {
  /** A 0/1 crop of {@code labels} over this box: 1 where the label equals {@code id}. */
  LabelImage select(LabelImage labels, int id) {
    LabelImage crop = labels.crop(x0, y0, width(), height(), 0);
    int[] d = crop.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = d[i] == id ? 1 : 0;
    }
    return crop;
  }

  int width() { return x1 - x0 + 1; }

  int height() { return y1 - y0 + 1; }

  /** The smallest box holding both (either may be null, meaning empty). */
  static Box union(Box a, Box b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return new Box(Math.min(a.x0, b.x0), Math.min(a.y0, b.y0),
        Math.max(a.x1, b.x1), Math.max(a.y1, b.y1));
  }

  /** Grown by {@code mx} columns and {@code my} rows on each side, then clipped to the image. */
  Box expand(int mx, int my, int imageWidth, int imageHeight) {
    return new Box(Math.max(0, x0 - mx), Math.max(0, y0 - my),
        Math.min(imageWidth - 1, x1 + mx), Math.min(imageHeight - 1, y1 + my));
  }

  /** Per id 1..maxId the bounding box of its pixels in {@code ids} (row-major), null if absent. */
  static Box[] ofIds(int[] ids, int width, int height, int maxId) {
    int[][] b = new int[maxId + 1][];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int id = ids[y * width + x];
        if (id <= 0 || id > maxId) {
          continue;
        }
        int[] r = b[id];
        if (r == null) {
          b[id] = new int[] {x, y, x, y};
        } else {
          r[0] = Math.min(r[0], x);
          r[1] = Math.min(r[1], y);
          r[2] = Math.max(r[2], x);
          r[3] = Math.max(r[3], y);
        }
      }
    }
    Box[] out = new Box[maxId + 1];
    for (int id = 1; id <= maxId; id++) {
      if (b[id] != null) {
        out[id] = new Box(b[id][0], b[id][1], b[id][2], b[id][3]);
      }
    }
    return out;
  }
}
