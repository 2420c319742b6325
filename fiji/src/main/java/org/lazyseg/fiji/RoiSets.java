package org.lazyseg.fiji;

import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.gui.Wand;
import ij.io.RoiEncoder;
import ij.process.ByteProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.ObjectMasks;

/**
 * ImageJ ROI sets ({@code predict --rois}): one polygon ROI per object, in a zip that Fiji's
 * ROI Manager opens (File > Open, or drag and drop), as Cellpose's {@code --save_rois}. Each
 * outline is traced by ImageJ's own {@link Wand} along the object's pixel edges, as ImageJ's
 * wand tool and Analyze Particles trace, and encoded by ImageJ's {@link RoiEncoder}: the ROI
 * holds exactly the object's pixels (a hole is filled: the ROI is the outer outline; an object
 * in several pieces keeps its largest, see {@link ObjectMasks}).
 */
public final class RoiSets {
  private RoiSets() {}

  /**
   * Writes the objects of {@code instances} to {@code zip} (atomically: a temporary file beside
   * it, renamed), in ascending order of id, each ROI named {@link #name}.
   *
   * @param classes class ids of the same size (nullable: every object is of class 1)
   * @param classNames the foreground class names; class id k is {@code classNames.get(k - 1)}
   */
  public static void write(LabelImage instances, LabelImage classes, List<String> classNames,
      Path zip) {
    write(rois(instances, classes, classNames), zip);
  }

  /**
   * The objects of {@code instances} as named, traced ROIs ({@link #outline}, {@link #name}),
   * in ascending order of id.
   */
  public static List<Roi> rois(LabelImage instances, LabelImage classes, List<String> classNames) {
    List<Roi> out = new ArrayList<>();
    for (ObjectMasks.Mask m : ObjectMasks.of(instances, classes)) {
      Roi roi = outline(m);
      roi.setName(name(m.object(), m.classId(), classNames));
      out.add(roi);
    }
    return out;
  }

  /**
   * Writes ROIs, in order, to {@code zip} as an ImageJ ROI set (atomically: a temporary file
   * beside it, renamed); each entry is named after its ROI.
   */
  public static void write(List<Roi> rois, Path zip) {
    try {
      Files.createDirectories(zip.toAbsolutePath().getParent());
      Path tmp = ImageFiles.newTempFile(zip.toAbsolutePath().getParent(),
          zip.getFileName().toString(), ".tmp");
      try {
        try (OutputStream file = Files.newOutputStream(tmp);
            ZipOutputStream out = new ZipOutputStream(file)) {
          for (Roi roi : rois) {
            out.putNextEntry(new ZipEntry(fileName(roi.getName()) + ".roi"));
            out.write(RoiEncoder.saveAsByteArray(roi));
            out.closeEntry();
          }
        }
        ImageFiles.moveAtomically(tmp, zip);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + zip + ": " + e.getMessage(), e);
    }
  }

  /**
   * A ROI's name: the object's id in the instance image (the {@code object} column of
   * objects.csv), a dash and its class name ({@code 7-gland}); the id alone for an object
   * whose pixels have no class.
   */
  public static String name(int object, int classId, List<String> classNames) {
    return classId >= 1 && classId <= classNames.size()
        ? object + "-" + classNames.get(classId - 1) : Integer.toString(object);
  }

  /** The traced outline of the object's piece, in image coordinates (pixel corners). */
  public static PolygonRoi outline(ObjectMasks.Mask m) {
    // A one-pixel margin: the wand must find background on every side of the piece.
    int w = m.width() + 2, h = m.height() + 2;
    ByteProcessor ip = new ByteProcessor(w, h);
    int startX = -1, startY = -1;
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        if (m.inside()[y * m.width() + x]) {
          ip.set(x + 1, y + 1, 255);
          if (startX < 0) {
            startX = x + 1;
            startY = y + 1;
          }
        }
      }
    }
    // Started in the piece's top row, the wand meets the outer outline, never a hole's.
    Wand wand = new Wand(ip);
    wand.autoOutline(startX, startY, 255.0, 255.0, Wand.EIGHT_CONNECTED);
    int n = wand.npoints;
    int[] xs = new int[n], ys = new int[n];
    for (int k = 0; k < n; k++) {
      xs[k] = wand.xpoints[k] + m.x() - 1;
      ys[k] = wand.ypoints[k] + m.y() - 1;
    }
    return new PolygonRoi(xs, ys, n, Roi.TRACED_ROI);
  }

  /** The name as a zip entry: characters other than letters, digits, '.', '-' and '_' become '_'. */
  private static String fileName(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
