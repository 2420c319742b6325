package org.lazyseg.fiji;

import static org.assertj.core.api.Assertions.assertThat;

import ij.gui.Roi;
import ij.io.RoiDecoder;
import ij.process.ImageProcessor;
import java.awt.Rectangle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.LabelImage;

/** ImageJ ROI sets read back with ImageJ's own decoder, as Fiji's ROI Manager reads them. */
public class RoiSetsTest {
  @TempDir Path dir;

  private static final int W = 60, H = 40;

  /** Object id -> its pixels as y * W + x. */
  private final Map<Integer, Set<Integer>> drawn = new LinkedHashMap<>();
  private final LabelImage instances = new LabelImage(W, H);
  private final LabelImage classes = new LabelImage(W, H);

  private void paint(int id, int classId, int x, int y) {
    instances.set(x, y, id);
    classes.set(x, y, classId);
    drawn.computeIfAbsent(id, k -> new TreeSet<>()).add(y * W + x);
  }

  private void rect(int id, int classId, int x0, int y0, int w, int h) {
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        paint(id, classId, x, y);
      }
    }
  }

  /** Decoded ROIs by zip entry name, in the zip's order. */
  public static Map<String, Roi> read(Path zip) throws Exception {
    Map<String, Roi> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        byte[] bytes = z.getInputStream(e).readAllBytes();
        out.put(e.getName(), new RoiDecoder(bytes, e.getName()).getRoi());
      }
    }
    return out;
  }

  /** The pixels ImageJ counts inside the ROI (those its mask holds), as y * width + x. */
  public static Set<Integer> filled(Roi roi, int width) {
    Rectangle b = roi.getBounds();
    ImageProcessor mask = roi.getMask();
    Set<Integer> out = new TreeSet<>();
    for (int y = 0; y < b.height; y++) {
      for (int x = 0; x < b.width; x++) {
        if (mask == null || mask.get(x, y) != 0) {
          out.add((b.y + y) * width + (b.x + x));
        }
      }
    }
    return out;
  }

  /** The area of the ROI's polygon (shoelace): what ImageJ's Measure reports as its area. */
  private static double polygonArea(Roi roi) {
    java.awt.Polygon p = roi.getPolygon();
    double twice = 0;
    for (int k = 0; k < p.npoints; k++) {
      int j = (k + 1) % p.npoints;
      twice += (double) p.xpoints[k] * p.ypoints[j] - (double) p.xpoints[j] * p.ypoints[k];
    }
    return Math.abs(twice) / 2;
  }

  @Test
  void oneTracedRoiPerObjectNamedByIdAndClassHoldingExactlyItsPixels() throws Exception {
    // A disc, a U shape, two rectangles that touch, one pixel, a diagonal staircase (its
    // pixels touch by corners only), an object at the image border.
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        if ((x - 10) * (x - 10) + (y - 10) * (y - 10) <= 36) {
          paint(3, 1, x, y);
        }
      }
    }
    rect(4, 2, 20, 2, 3, 10);
    rect(4, 2, 23, 9, 4, 3);
    rect(4, 2, 27, 2, 3, 10);
    rect(10, 1, 34, 2, 5, 6);
    rect(11, 2, 39, 2, 4, 6);
    paint(12, 1, 46, 3);
    for (int k = 0; k < 6; k++) {
      paint(13, 1, 50 + k, 2 + k);
    }
    rect(20, 1, 0, 30, 8, 10);
    LabelImage before = instances.copy();
    Path zip = dir.resolve("rois/a.zip");

    RoiSets.write(instances, classes, List.of("gland", "blood vessel"), zip);

    assertThat(instances.data()).isEqualTo(before.data());
    Map<String, Roi> rois = read(zip);
    assertThat(rois.keySet()).containsExactly("3-gland.roi", "4-blood_vessel.roi", "10-gland.roi",
        "11-blood_vessel.roi", "12-gland.roi", "13-gland.roi", "20-gland.roi");
    List<String> names = new ArrayList<>();
    rois.values().forEach(r -> names.add(r.getName()));
    assertThat(names).containsExactly("3-gland", "4-blood vessel", "10-gland", "11-blood vessel",
        "12-gland", "13-gland", "20-gland");
    int k = 0;
    for (Map.Entry<Integer, Set<Integer>> object : drawn.entrySet()) {
      Roi roi = new ArrayList<>(rois.values()).get(k++);
      assertThat(roi.getType()).as(roi.getName()).isEqualTo(Roi.TRACED_ROI);
      assertThat(filled(roi, W)).as(roi.getName()).isEqualTo(object.getValue());
      assertThat(polygonArea(roi)).as(roi.getName()).isEqualTo(object.getValue().size());
    }
    try (var files = Files.list(dir.resolve("rois"))) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("a.zip");
    }
  }

  @Test
  void aHoleIsFilledAndAnObjectInPiecesKeepsItsLargest() throws Exception {
    rect(1, 1, 2, 2, 12, 12);
    rect(0, 0, 6, 6, 4, 4);   // the ring's hole
    drawn.remove(0);
    Set<Integer> ringFilled = new TreeSet<>();
    for (int y = 2; y < 14; y++) {
      for (int x = 2; x < 14; x++) {
        ringFilled.add(y * W + x);
      }
    }
    rect(2, 1, 30, 5, 6, 6);
    rect(2, 1, 40, 20, 2, 2);   // a second, smaller piece of object 2
    Set<Integer> largestPiece = new TreeSet<>();
    for (int y = 5; y < 11; y++) {
      for (int x = 30; x < 36; x++) {
        largestPiece.add(y * W + x);
      }
    }
    Path zip = dir.resolve("b.zip");

    RoiSets.write(instances, null, List.of("cell"), zip);

    List<Roi> rois = new ArrayList<>(read(zip).values());
    assertThat(rois).extracting(Roi::getName).containsExactly("1-cell", "2-cell");
    assertThat(filled(rois.get(0), W)).isEqualTo(ringFilled);
    assertThat(filled(rois.get(1), W)).isEqualTo(largestPiece);
  }

  @Test
  void anImageWithoutObjectsGivesAnEmptySet() throws Exception {
    Path zip = dir.resolve("c.zip");
    RoiSets.write(instances, classes, List.of("gland"), zip);
    assertThat(read(zip)).isEmpty();
  }
}
