package org.lazyseg.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.Roi;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.lazyseg.core.data.DatasetLabels;
import org.lazyseg.core.data.DatasetLabels.Kind;
import org.lazyseg.core.image.LabelImage;

/**
 * The label commands, one menu item each (plugins.config passes the argument):
 *
 * <ul>
 *   <li>{@code add}, "LazySeg Add Label": the selection becomes a strong outline (one whole
 *       object), a partial region (some pixels inside objects) or a scribble (pixels between
 *       touching objects) of a class: {@code dataset=[DIR] kind=partial class=gland};
 *   <li>{@code remove}, "LazySeg Remove Label": clears the labels under the selection (or all
 *       of the plane, {@code all}) of one kind or every kind: {@code dataset=[DIR] kind=any};
 *   <li>{@code tags}, "LazySeg Image Tags": the classes present in the image, the others
 *       absent: {@code dataset=[DIR] present=[gland,vessel]} ({@code clear} removes them);
 *   <li>{@code size}, "LazySeg Object Size": the image's object size in pixels (whatever the
 *       image's calibration: the dataset keeps sizes in pixels), by default the
 *       length of a line selection across an object: {@code dataset=[DIR] size=23}
 *       ({@code size=-1} removes it);
 *   <li>{@code show}, "LazySeg Show Labels": draws the saved labels as an overlay.
 * </ul>
 *
 * Each writes into the dataset folder at once (atomically), in the layout that {@code lazyseg
 * train} and "LazySeg Train" read; the plane labelled is saved as {@code images/ID.tif} unless
 * it was opened from the dataset. After each, the overlay shows the plane's saved labels.
 */
public final class LabelCommand implements PlugIn {
  static final String[] KINDS = {"strong", "partial", "scribble"};

  @Override
  public void run(String arg) {
    String command = switch (arg) {
      case "add" -> "LazySeg Add Label";
      case "remove" -> "LazySeg Remove Label";
      case "tags" -> "LazySeg Image Tags";
      case "size" -> "LazySeg Object Size";
      default -> "LazySeg Show Labels";
    };
    Commands.run(command, () -> {
      ImagePlus imp = WindowManager.getCurrentImage();
      if (imp == null) {
        throw new Images.Problem("no image open: open the image to label first");
      }
      switch (arg) {
        case "add" -> add(imp, command);
        case "remove" -> remove(imp, command);
        case "tags" -> tags(imp, command);
        case "size" -> size(imp, command);
        default -> show(imp, command);
      }
    });
  }

  private static DatasetLabels dataset(String dir) {
    Path path = Commands.folder("dataset", dir);
    Commands.rememberDataset(path.toString());
    return DatasetLabels.at(path);
  }

  private static void add(ImagePlus imp, String command) throws java.io.IOException {
    Options o = Options.of(command)
        .addFolder("Dataset folder", Commands.defaultDataset(imp))
        .addChoice("Kind of label", KINDS, Prefs.get("lazyseg.kind", "partial"))
        .addText("Class", Prefs.get("lazyseg.class", "object"));
    if (!o.show()) {
      return;
    }
    String dir = o.text();
    String kindWord = o.choice();
    String className = o.text();
    Kind kind = Kind.parse(kindWord);
    // Check the selection before anything is written.
    LabelImage region = Images.region(imp.getRoi(), imp.getWidth(), imp.getHeight());
    DatasetLabels labels = dataset(dir);
    int classId = kind == Kind.SCRIBBLE ? 0 : labels.classId(className);
    String id = Images.datasetImage(imp, labels, true);
    labels.add(id, kind, region, classId);
    Prefs.set("lazyseg.kind", kindWord);
    Prefs.set("lazyseg.class", className);
    long pixels = Arrays.stream(region.data()).filter(v -> v != 0).count();
    Commands.log(describe(kind) + (kind == Kind.SCRIBBLE ? "" : " of class " + className)
        + " (" + pixels + " px) saved for " + id + " in " + labels.dir());
    LabelOverlay.show(imp, labels, id);
  }

  static String describe(Kind kind) {
    return switch (kind) {
      case STRONG -> "strong outline";
      case PARTIAL -> "partial region";
      case SCRIBBLE -> "scribble";
    };
  }

  private static void remove(ImagePlus imp, String command) throws java.io.IOException {
    String[] kinds = {"any", "strong", "partial", "scribble"};
    Options o = Options.of(command)
        .addFolder("Dataset folder", Commands.defaultDataset(imp))
        .addChoice("Kind of label", kinds, "any")
        .addCheckbox("all of the plane (not only under the selection)", imp.getRoi() == null);
    if (!o.show()) {
      return;
    }
    DatasetLabels labels = dataset(o.text());
    String kindWord = o.choice();
    boolean all = o.checkbox();
    Kind kind = kindWord.equals("any") ? null : Kind.parse(kindWord);
    LabelImage region = all ? null : Images.region(imp.getRoi(), imp.getWidth(),
        imp.getHeight());
    String id = Images.datasetImage(imp, labels, false);
    long n = labels.remove(id, kind, region);
    Commands.log(n + " labelled pixels removed from " + id + " ("
        + (kind == null ? "every kind" : describe(kind) + "s") + ")");
    LabelOverlay.show(imp, labels, id);
  }

  private static void tags(ImagePlus imp, String command) throws java.io.IOException {
    Options first = Options.of(command)
        .addFolder("Dataset folder", Commands.defaultDataset(imp))
        .addText("Present classes (comma-separated; the others are absent)", "")
        .addCheckbox("clear the tags of this image", false)
        .addMessage("Classes of the dataset: listed in classes.txt; a new name is added.");
    if (!first.show()) {
      return;
    }
    DatasetLabels labels = dataset(first.text());
    String present = first.text();
    boolean clear = first.checkbox();
    String id = Images.datasetImage(imp, labels, true);
    if (clear) {
      labels.setTags(id, null);
      Commands.log("tags of " + id + " removed");
    } else {
      List<String> names = new ArrayList<>();
      for (String n : present.split(",")) {
        if (!n.isBlank()) {
          names.add(n.trim());
          labels.classId(n.trim());   // a new class is added to classes.txt
        }
      }
      List<String> classes = labels.classNames();
      if (classes.isEmpty()) {
        throw new Images.Problem("the dataset has no classes yet: name the classes present");
      }
      boolean[] tags = new boolean[classes.size()];
      for (int k = 0; k < tags.length; k++) {
        tags[k] = names.contains(classes.get(k));
      }
      labels.setTags(id, tags);
      Commands.log("tags of " + id + ": " + (names.isEmpty() ? "no class present" : "present "
          + names) + ", absent the others of " + classes);
    }
    LabelOverlay.show(imp, labels, id);
  }

  private static void size(ImagePlus imp, String command) throws java.io.IOException {
    Roi roi = imp.getRoi();
    double fromLine = roi != null && roi.isLine() ? Images.lineLength(roi) : 0;
    Options o = Options.of(command)
        .addFolder("Dataset folder", Commands.defaultDataset(imp))
        .addNumber("Size (pixels; the length of a line across an object; -1 removes)",
            Math.round(fromLine * 10) / 10.0, 1);
    if (!o.show()) {
      return;
    }
    DatasetLabels labels = dataset(o.text());
    double size = o.number();
    if (Double.isNaN(size) || size == 0) {
      throw new Images.Problem("no object size: draw a line across an object, or give size=N"
          + " (pixels)");
    }
    String id = Images.datasetImage(imp, labels, true);
    labels.setSize(id, size < 0 ? -1 : size);
    ij.measure.Calibration cal = imp.getCalibration();
    String calibrated = cal.scaled() && cal.pixelWidth == cal.pixelHeight
        ? String.format(Locale.ROOT, " (%.4g %s at the image's calibration; sizes are kept in"
            + " pixels)", size * cal.pixelWidth, cal.getUnit()) : "";
    Commands.log(size < 0 ? "object size of " + id + " removed"
        : String.format(Locale.ROOT, "object size of %s: %.1f px%s", id, size, calibrated));
    LabelOverlay.show(imp, labels, id);
  }

  private static void show(ImagePlus imp, String command) throws java.io.IOException {
    Options o = Options.of(command).addFolder("Dataset folder", Commands.defaultDataset(imp));
    if (!o.show()) {
      return;
    }
    DatasetLabels labels = dataset(o.text());
    String id = Images.datasetImage(imp, labels, false);
    LabelOverlay.show(imp, labels, id);
    IJ.showStatus("LazySeg: labels of " + id);
  }
}
