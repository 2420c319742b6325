package org.lazyseg.core.measure;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.lazyseg.core.image.LabelImage;

/**
 * The objects of an instance image, numbered 1..count in ascending order of their ids, with
 * each object's area, bounding box and pixel list: what the object measures need, gathered in
 * two passes so that no measure loops over the whole image per object.
 */
final class ObjectTable {
  final int width;
  final int height;
  final int count;
  /** Per pixel: 0 = background, else the object number 1..count. */
  final int[] objectAt;
  /** Per object number (index 0 unused): its id in the instance image. */
  final int[] ids;
  /** Per object number (index 0 unused): area and inclusive bounding box. */
  final int[] area;
  final int[] minX;
  final int[] minY;
  final int[] maxX;
  final int[] maxY;
  /** Per object number: the row-major indices of its pixels. */
  final int[][] pixels;
  final long totalArea;

  ObjectTable(LabelImage instances) {
    width = instances.width();
    height = instances.height();
    int[] ids = instances.data();
    objectAt = new int[ids.length];
    this.ids = renumber(ids, objectAt);
    count = this.ids.length - 1;
    area = new int[count + 1];
    minX = new int[count + 1];
    minY = new int[count + 1];
    maxX = new int[count + 1];
    maxY = new int[count + 1];
    Arrays.fill(minX, Integer.MAX_VALUE);
    Arrays.fill(minY, Integer.MAX_VALUE);
    long total = 0;
    for (int i = 0; i < ids.length; i++) {
      int o = objectAt[i];
      if (o > 0) {
        int x = i % width, y = i / width;
        area[o]++;
        minX[o] = Math.min(minX[o], x);
        minY[o] = Math.min(minY[o], y);
        maxX[o] = Math.max(maxX[o], x);
        maxY[o] = Math.max(maxY[o], y);
        total++;
      }
    }
    totalArea = total;
    pixels = new int[count + 1][];
    int[] filled = new int[count + 1];
    for (int o = 1; o <= count; o++) {
      pixels[o] = new int[area[o]];
    }
    for (int i = 0; i < ids.length; i++) {
      int o = objectAt[i];
      if (o > 0) {
        pixels[o][filled[o]++] = i;
      }
    }
  }

  /**
   * Writes object numbers (ascending by id) into {@code out}; returns the id of each object
   * number (index 0 unused).
   */
  private static int[] renumber(int[] ids, int[] out) {
    int max = 0;
    for (int v : ids) {
      max = Math.max(max, v);
    }
    // Ids are usually small (16-bit PNGs): a lookup array; a map only for huge ids.
    if (max <= (1 << 22)) {
      int[] number = new int[max + 1];
      for (int v : ids) {
        if (v > 0) {
          number[v] = 1;
        }
      }
      int n = 0;
      for (int v = 1; v <= max; v++) {
        number[v] = number[v] > 0 ? ++n : 0;
      }
      int[] idOf = new int[n + 1];
      for (int v = 1; v <= max; v++) {
        if (number[v] > 0) {
          idOf[number[v]] = v;
        }
      }
      for (int i = 0; i < ids.length; i++) {
        out[i] = ids[i] > 0 ? number[ids[i]] : 0;
      }
      return idOf;
    }
    int[] sorted = Arrays.stream(ids).filter(v -> v > 0).distinct().sorted().toArray();
    Map<Integer, Integer> number = new HashMap<>();
    for (int k = 0; k < sorted.length; k++) {
      number.put(sorted[k], k + 1);
    }
    for (int i = 0; i < ids.length; i++) {
      out[i] = ids[i] > 0 ? number.get(ids[i]) : 0;
    }
    int[] idOf = new int[sorted.length + 1];
    System.arraycopy(sorted, 0, idOf, 1, sorted.length);
    return idOf;
  }

  /**
   * For each object of this table, the object of {@code other} that overlaps it most (0 when
   * none does; ties go to the lower number) in {@code partner}, and that overlap in pixels.
   */
  void bestOverlaps(ObjectTable other, int[] partner, int[] overlap) {
    int[] votes = new int[other.count + 1];
    int[] touched = new int[other.count];
    for (int o = 1; o <= count; o++) {
      int nTouched = 0;
      for (int i : pixels[o]) {
        int q = other.objectAt[i];
        if (q > 0 && votes[q]++ == 0) {
          touched[nTouched++] = q;
        }
      }
      int best = 0;
      for (int k = 0; k < nTouched; k++) {
        int q = touched[k];
        if (best == 0 || votes[q] > votes[best] || (votes[q] == votes[best] && q < best)) {
          best = q;
        }
      }
      partner[o] = best;
      overlap[o] = best == 0 ? 0 : votes[best];
      for (int k = 0; k < nTouched; k++) {
        votes[touched[k]] = 0;
      }
    }
  }
}
