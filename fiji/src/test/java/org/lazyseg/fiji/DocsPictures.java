package org.lazyseg.fiji;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.io.FileSaver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The pictures of docs/fiji.md, rendered headlessly by {@link FijiCommandsTest} when it runs
 * with {@code -Dlazyseg.docs=DIR}: labels drawn by the commands as their overlay, and a
 * segmentation's ROIs over its image (each image scaled up 3x, as ImageJ would flatten it).
 */
final class DocsPictures {
  private DocsPictures() {}

  static void write(Path docs, ImagePlus strong, ImagePlus partial, ImagePlus unseen, Path rois)
      throws Exception {
    Files.createDirectories(docs);
    save(strong, docs.resolve("fiji-labels-strong.png"));
    save(partial, docs.resolve("fiji-labels-partial.png"));
    Overlay overlay = new Overlay();
    List<String> classes = List.of("bubble", "crystal");
    for (Roi roi : RoiSetsTest.read(rois).values()) {
      String name = roi.getName();
      String cls = name.substring(name.indexOf('-') + 1);
      roi.setStrokeColor(LabelOverlay.classColour(classes.indexOf(cls) + 1));
      roi.setStrokeWidth(1);
      overlay.add(roi);
    }
    unseen.setOverlay(overlay);
    save(unseen, docs.resolve("fiji-result.png"));
  }

  private static void save(ImagePlus imp, Path png) {
    ImagePlus flat = imp.flatten();
    flat.setProcessor(flat.getProcessor().resize(imp.getWidth() * 3, imp.getHeight() * 3,
        false));
    new FileSaver(flat).saveAsPng(png.toString());
  }
}
