package org.lazyseg.fiji;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.gui.TextRoi;
import ij.process.ColorProcessor;
import java.awt.Color;
import java.awt.Font;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lazyseg.core.data.DatasetLabels;
import org.lazyseg.core.data.DatasetLabels.Kind;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.ObjectMasks;

/**
 * The saved labels of a plane drawn over it as an ImageJ overlay: strong outlines as traced
 * outlines in their class's colour, partial regions filled half transparent in their class's
 * colour, scribbles in yellow, and a line of text with the object size and tags. Every ROI of
 * it is named {@code lazyseg:...}, so that drawing it again replaces it (other overlay ROIs
 * stay).
 */
final class LabelOverlay {
  private LabelOverlay() {}

  static final String PREFIX = "lazyseg:";
  private static final Color[] CLASS_COLOURS = {new Color(230, 60, 60), new Color(60, 140, 255),
      new Color(60, 200, 90), new Color(200, 90, 220), new Color(255, 150, 40),
      new Color(40, 210, 210)};

  static Color classColour(int classId) {
    return CLASS_COLOURS[Math.floorMod(classId - 1, CLASS_COLOURS.length)];
  }

  /** Draws the labels of image {@code id} over the plane of {@code imp} shown (replacing earlier ones). */
  static void show(ImagePlus imp, DatasetLabels labels, String id) {
    int w = imp.getWidth(), h = imp.getHeight();
    int[] zt = Images.position(imp);
    List<Roi> rois = rois(labels, id, w, h);
    Overlay overlay = imp.getOverlay() != null ? imp.getOverlay() : new Overlay();
    for (Roi r : overlay.toArray()) {
      if (r.getName() != null && r.getName().startsWith(PREFIX) && samePlane(imp, r, zt)) {
        overlay.remove(r);
      }
    }
    for (Roi r : rois) {
      if (imp.getStackSize() > 1) {
        if (imp.isHyperStack()) {
          r.setPosition(0, zt[0], zt[1]);
        } else {
          r.setPosition(imp.getCurrentSlice());
        }
      }
      overlay.add(r);
    }
    imp.setOverlay(overlay);
  }

  private static boolean samePlane(ImagePlus imp, Roi r, int[] zt) {
    if (imp.getStackSize() == 1) {
      return true;
    }
    return imp.isHyperStack() ? r.getZPosition() == zt[0] && r.getTPosition() == zt[1]
        : r.getPosition() == imp.getCurrentSlice();
  }

  /** The overlay ROIs of image {@code id}'s labels, in image coordinates. */
  static List<Roi> rois(DatasetLabels labels, String id, int w, int h) {
    List<Roi> out = new ArrayList<>();
    if (labels.has(id, Kind.PARTIAL)) {
      out.add(filled(labels.labels(id, Kind.PARTIAL, w, h), labels.holdsClassIds(), "partial"));
    }
    if (labels.has(id, Kind.SCRIBBLE)) {
      LabelImage s = labels.labels(id, Kind.SCRIBBLE, w, h);
      ColorProcessor cp = new ColorProcessor(w, h);
      int[] px = (int[]) cp.getPixels();
      for (int i = 0; i < px.length; i++) {
        px[i] = s.data()[i] != 0 ? 0xffff00 : 0;
      }
      out.add(image(cp, "scribbles", 0.8));
    }
    if (labels.has(id, Kind.STRONG)) {
      LabelImage classes = labels.labels(id, Kind.STRONG, w, h);
      java.nio.file.Path instancesFile = labels.dir().resolve("instances").resolve(id + ".png");
      LabelImage instances = labels.holdsClassIds() && Files.isRegularFile(instancesFile)
          ? ImageFiles.readLabels(instancesFile) : classes;
      for (ObjectMasks.Mask m : ObjectMasks.of(instances,
          labels.holdsClassIds() ? classes : null)) {
        PolygonRoi outline = RoiSets.outline(m);
        outline.setStrokeColor(classColour(Math.max(1, m.classId())));
        outline.setStrokeWidth(2);
        outline.setName(PREFIX + "strong-" + m.object());
        out.add(outline);
      }
    }
    StringBuilder text = new StringBuilder();
    labels.size(id).ifPresent(s -> text.append(String.format(Locale.ROOT, "size %.1f px", s)));
    labels.tags(id).ifPresent(t -> {
      List<String> names = labels.classNames();
      List<String> present = new ArrayList<>();
      for (int k = 0; k < t.length; k++) {
        if (t[k]) {
          present.add(names.get(k));
        }
      }
      text.append(text.length() > 0 ? "; " : "").append("tags: ")
          .append(present.isEmpty() ? "none present" : String.join(", ", present));
    });
    if (text.length() > 0) {
      TextRoi t = new TextRoi(2, 2, text.toString(), new Font("SansSerif", Font.BOLD, 12));
      t.setStrokeColor(Color.white);
      t.setFillColor(new Color(0, 0, 0, 140));
      t.setName(PREFIX + "text");
      out.add(t);
    }
    return out;
  }

  /** A label image's nonzero pixels filled in their class's colour, half transparent. */
  private static Roi filled(LabelImage labels, boolean classIds, String name) {
    int w = labels.width(), h = labels.height();
    ColorProcessor cp = new ColorProcessor(w, h);
    int[] px = (int[]) cp.getPixels();
    for (int i = 0; i < px.length; i++) {
      int v = labels.data()[i];
      px[i] = v == 0 ? 0 : classColour(classIds ? v : 1).getRGB() & 0xffffff;
    }
    return image(cp, name, 0.45);
  }

  private static Roi image(ColorProcessor cp, String name, double opacity) {
    ImageRoi roi = new ImageRoi(0, 0, cp);
    roi.setZeroTransparent(true);
    roi.setOpacity(opacity);
    roi.setName(PREFIX + name);
    return roi;
  }
}
