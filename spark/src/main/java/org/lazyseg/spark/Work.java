package org.lazyseg.spark;

import java.io.Serializable;
import org.lazyseg.cli.Prediction;

/**
 * One Spark task's work: a whole file (all its planes, as predict segments it), a region of
 * a large image (its class ids and cut, kept in {@link RegionFiles}), or the assembly of a
 * large image from its regions (instances, the least object area, every output).
 *
 * @param n the item's position in the batch (from 1), for predict's "[n/count]" lines
 * @param x0 the region's left column (REGION), else 0
 * @param y0 its top row
 * @param width its width (REGION), the image's (ASSEMBLE)
 * @param height its height (REGION), the image's (ASSEMBLE)
 * @param regions how many regions the image has (REGION, ASSEMBLE)
 */
record Work(Kind kind, Prediction.Item item, int n, int count, int x0, int y0, int width,
    int height, int regions) implements Serializable {
  enum Kind { FILE, REGION, ASSEMBLE }

  static Work file(Prediction.Item item, int n, int count) {
    return new Work(Kind.FILE, item, n, count, 0, 0, 0, 0, 0);
  }
}
