package org.lazyseg.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.macro.Interpreter;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.image.Channels;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.ObjectMeasurements;
import org.lazyseg.core.measure.ObjectMeasurements.Ellipse;
import org.lazyseg.core.measure.ObjectMeasurements.Measurement;
import org.lazyseg.train.predict.Segmentation;

/**
 * "LazySeg Segment": segments the current image, every plane of a stack, with a model (a run
 * folder of LazySeg Train or {@code lazyseg train}) through {@link SegmentationModel}, as
 * {@code lazyseg predict} does (any size: decoded band by band). Gives a 16-bit label image of
 * the objects ({@code TITLE-labels}; 32-bit above 65535 objects), optionally the class image
 * ({@code TITLE-classes}), the objects as traced ROIs named "id-class" (into the ROI Manager
 * where ImageJ has one, and always as the label image's overlay; as a ROI set file with
 * {@code roi=[FILE.zip]}) and a row per object in the Results table (in the image's
 * calibrated units, as ImageJ's Analyze Particles). Macro: {@code
 * run("LazySeg Segment", "model=[RUN]")}.
 */
public final class SegmentCommand implements PlugIn {
  static final String COMMAND = "LazySeg Segment";

  /**
   * Results table columns after Label, Slice, Object and Class (ImageJ's names where ImageJ
   * has them), before Unit. Lengths and coordinates in the image's unit, Area in its square.
   */
  static final String[] COLUMNS = {"Area", "X", "Y", "BX", "BY", "Width", "Height", "Perim.",
      "Major", "Minor", "Angle", "MeanIntensity"};

  @Override
  public void run(String arg) {
    Commands.run(COMMAND, this::segment);
  }

  private void segment() throws IOException {
    ImagePlus imp = WindowManager.getCurrentImage();
    if (imp == null) {
      throw new Images.Problem("no image open: open the image to segment first");
    }
    Options o = Options.of(COMMAND)
        .addFolder("Model folder (of LazySeg Train)", Commands.lastModel())
        .addNumber("Least object area (pixels; -1 = the model's)", -1, 0)
        .addNumber(Commands.THREADS, 0, 0)
        .addText("ROI set file to write (optional, .zip)", "")
        .addCheckbox("classes image too", false)
        .addCheckbox("Add the objects to the ROI Manager", !GraphicsEnvironment.isHeadless());
    if (!o.show()) {
      return;
    }
    Path model = Commands.folder("model", o.text());
    double minArea = o.number();
    int threads = Commands.threads(o.number());
    String roiFile = o.text();
    boolean classesImage = o.checkbox();
    boolean manager = o.checkbox();
    if (!(minArea >= -1)) {
      throw new Images.Problem("least object area must be -1 (the model's) or >= 0 pixels");
    }
    Commands.rememberModel(model.toString());
    SegmentationModel.Options options = SegmentationModel.Options.DEFAULT
        .withMinArea((int) Math.round(minArea)).withThreads(threads);
    try (SegmentationModel m = SegmentationModel.open(model, options)) {
      Commands.log(m.describe());
      Commands.warnAboutTheCpu();
      Result r = segment(imp, m);
      r.labels.show();
      if (classesImage) {
        r.classes.show();
      }
      if (!roiFile.isEmpty()) {
        RoiSets.write(r.rois, Path.of(roiFile));
      }
      if (manager && !GraphicsEnvironment.isHeadless()) {
        // In a batch-mode macro, the hidden ROI Manager that the macro's roiManager(...)
        // functions use (as Analyze Particles does), else the one on the screen.
        RoiManager rm = Interpreter.getBatchModeRoiManager();
        if (rm == null) {
          rm = RoiManager.getRoiManager();
        }
        for (Roi roi : r.rois) {
          rm.addRoi((Roi) roi.clone());
        }
      }
      r.table.show("Results");
      Commands.log(String.format(Locale.ROOT, "%s: %d objects in %d plane(s)%s", imp.getTitle(),
          r.rois.size(), r.planes, roiFile.isEmpty() ? "" : "; ROI set " + roiFile));
    }
  }

  /** What a segmentation gives in ImageJ. */
  record Result(ImagePlus labels, ImagePlus classes, List<Roi> rois, ResultsTable table,
      int planes) {}

  /** Segments every plane of {@code imp}: the images, ROIs and the system Results table. */
  static Result segment(ImagePlus imp, SegmentationModel model) {
    int w = imp.getWidth(), h = imp.getHeight();
    int nz = imp.getNSlices(), nt = imp.getNFrames();
    if (imp.getNChannels() == 1 && nt == 1) {
      nz = imp.getStackSize();   // a plain stack: its slices
    }
    long largest = Images.largest(imp);
    ImageStack labels = new ImageStack(w, h), classes = new ImageStack(w, h);
    List<Roi> rois = new ArrayList<>();
    ResultsTable table = ResultsTable.getResultsTable();
    table.reset();
    int plane = 0;
    for (int t = 1; t <= nt; t++) {
      for (int z = 1; z <= nz; z++) {
        plane++;
        FloatImage image = Images.plane(imp, z, t, largest);
        boolean separate = imp.getNChannels() > 1;
        if (!Channels.fits(image.channels(), separate, model.channels())) {
          throw new Images.Problem(imp.getTitle() + ": " + image.channels() + " channels, the "
              + "model takes " + model.channels() + " (separate channels are not averaged: "
              + "split the channels and segment one)");
        }
        image = Channels.adapt(image, model.channels());
        Segmentation s = model.segmentInBands(image, null);
        String suffix = Images.planeSuffix(imp, z, t);
        labels.addSlice(imp.getTitle() + suffix, Images.labelProcessor(s.instances()));
        classes.addSlice(imp.getTitle() + suffix, Images.labelProcessor(s.classes()));
        for (Roi roi : RoiSets.rois(s.instances(), s.classes(), model.classNames())) {
          roi.setName(roi.getName() + suffix);
          if (imp.getStackSize() > 1) {
            if (imp.isHyperStack()) {
              roi.setPosition(0, z, t);
            } else {
              roi.setPosition(plane);
            }
          }
          rois.add(roi);
        }
        addRows(table, imp.getTitle() + suffix, plane, s.instances(), s.classes(), image,
            model.classNames(), imp.getCalibration());
      }
    }
    ImagePlus labelImage = image(imp, "-labels", labels, nz, nt);
    Overlay overlay = new Overlay();
    rois.forEach(overlay::add);
    labelImage.setOverlay(overlay);
    return new Result(labelImage, image(imp, "-classes", classes, nz, nt), rois, table, plane);
  }

  private static ImagePlus image(ImagePlus source, String suffix, ImageStack stack, int nz,
      int nt) {
    String title = source.getTitle();
    int dot = title.lastIndexOf('.');
    ImagePlus out = new ImagePlus((dot > 0 ? title.substring(0, dot) : title) + suffix, stack);
    if (stack.getSize() > 1) {
      out.setDimensions(1, nz, nt);
    }
    out.setCalibration(source.getCalibration());
    ImageProcessor ip = out.getProcessor();
    ip.resetMinAndMax();
    return out;
  }

  /**
   * One row per object of {@code instances} (measured on {@code image}), in the calibration's
   * units as ImageJ's Analyze Particles gives them: Area times pixel width and height, X, BX
   * and Y, BY through {@link Calibration#getX} and {@link Calibration#getY} (origin, inverted
   * y), Width, Height and Perim. per axis, the ellipse of the calibrated second moments (ImageJ
   * gives 0 for non-square pixels; this is the ellipse measuring the scaled object gives), and
   * the length unit in column Unit ("pixel" where the image is not calibrated: pixel values).
   */
  static void addRows(ResultsTable t, String label, int plane, LabelImage instances,
      LabelImage classes, FloatImage image, List<String> classNames, Calibration cal) {
    double pw = cal.pixelWidth, ph = cal.pixelHeight;
    List<Measurement> ms = ObjectMeasurements.measure(instances, classes, image);
    double[] perimeters = pw == ph ? null : ObjectMeasurements.perimeters(instances, pw, ph);
    int height = instances.height();
    for (int k = 0; k < ms.size(); k++) {
      Measurement m = ms.get(k);
      t.incrementCounter();
      t.addLabel(label);
      t.addValue("Slice", plane);
      t.addValue("Object", m.object());
      t.addValue("Class", m.classId() >= 1 && m.classId() <= classNames.size()
          ? classNames.get(m.classId() - 1) : "");
      Ellipse e = m.ellipse().scaled(pw, ph);
      // ImageJ's coordinates: the top-left pixel's centre is (0.5, 0.5).
      double[] v = {m.area() * pw * ph, cal.getX(m.centroidX() + 0.5),
          cal.getY(m.centroidY() + 0.5, height), cal.getX(m.boxX()), cal.getY(m.boxY(), height),
          m.boxWidth() * pw, m.boxHeight() * ph,
          perimeters == null ? m.perimeter() * pw : perimeters[k], e.major(), e.minor(),
          e.angle(), m.meanIntensity()};
      for (int c = 0; c < COLUMNS.length; c++) {
        t.addValue(COLUMNS[c], v[c]);
      }
      t.addValue("Unit", cal.getUnit());
    }
  }
}
