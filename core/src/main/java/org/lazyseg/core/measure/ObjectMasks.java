package org.lazyseg.core.measure;

import java.util.ArrayList;
import java.util.List;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;

/**
 * Each object of an instance image as a small mask in its bounding box, for outlining it
 * (what {@code lazyseg predict --rois} traces into ImageJ ROIs). An object in several
 * 8-connected pieces keeps its largest piece (ties: the first in raster order), as one outline
 * can hold one piece only.
 */
public final class ObjectMasks {
  private ObjectMasks() {}

  /**
   * One object's largest piece.
   *
   * @param object its id in the instance image
   * @param classId the class most of its pixels have (as {@link ObjectMeasurements}); 1 without
   *     a class image, 0 when the class image has none of its pixels
   * @param x the column of the mask's left edge in the image
   * @param y the row of the mask's top edge in the image
   * @param width the mask's width: the object's bounding box
   * @param height the mask's height
   * @param inside row-major, true where the largest piece has a pixel
   * @param area the object's pixels, all pieces
   * @param pieces the object's 8-connected pieces (1 for a connected object)
   */
  public record Mask(int object, int classId, int x, int y, int width, int height,
      boolean[] inside, long area, int pieces) {
    /** Pixels of the piece kept. */
    public int pieceArea() {
      int n = 0;
      for (boolean b : inside) {
        n += b ? 1 : 0;
      }
      return n;
    }
  }

  /**
   * The objects of {@code instances} (0 = background, each positive id one object), in
   * ascending order of id.
   *
   * @param classes class ids of the same size (nullable: every class id is then 1)
   */
  public static List<Mask> of(LabelImage instances, LabelImage classes) {
    if (classes != null && !classes.sameSize(instances.width(), instances.height())) {
      throw new IllegalArgumentException("instances " + instances + " and classes " + classes
          + " differ in size");
    }
    ObjectTable table = new ObjectTable(instances);
    int[] votes = classes == null ? null : new int[Math.max(1, classes.max()) + 1];
    List<Mask> out = new ArrayList<>(table.count);
    for (int o = 1; o <= table.count; o++) {
      int x0 = table.minX[o], y0 = table.minY[o];
      int bw = table.maxX[o] - x0 + 1, bh = table.maxY[o] - y0 + 1;
      int[] box = new int[bw * bh];
      for (int i : table.pixels[o]) {
        box[(i / table.width - y0) * bw + (i % table.width - x0)] = 1;
      }
      LabelImage pieces = Components.labelInPlace(new LabelImage(bw, bh, box), Connectivity.EIGHT);
      int[] areas = Components.areas(pieces);
      int largest = 1;
      for (int k = 2; k < areas.length; k++) {
        if (areas[k] > areas[largest]) {
          largest = k;
        }
      }
      boolean[] inside = new boolean[box.length];
      for (int i = 0; i < box.length; i++) {
        inside[i] = box[i] == largest;
      }
      int classId = classes == null ? 1 : ObjectMeasurements.majorityClass(table, o, classes, votes);
      out.add(new Mask(table.ids[o], classId, x0, y0, bw, bh, inside, table.area[o],
          areas.length - 1));
    }
    return out;
  }
}
