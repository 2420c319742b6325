package org.lazyseg.fiji;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.Overlay;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.process.ImageProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.LabeledImage.Kind;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.ObjectMasks;
import org.lazyseg.core.synth.FoamGenerator;
import org.lazyseg.core.synth.FoamImage;

/**
 * The Fiji commands in headless ImageJ, as a macro runs them: images and selections made in
 * code are labelled (LazySeg Add Label, Image Tags, Object Size), trained on for a few seconds
 * (LazySeg Train, then again: it resumes) and segmented from a macro (LazySeg Segment), with
 * assertions on the saved label files, the label image and the Results table.
 */
class FijiCommandsTest {
  private static final List<String> CLASSES = List.of("bubble", "crystal");
  @TempDir static Path dir;

  @BeforeAll
  static void imagej() throws Exception {
    HeadlessImageJ.register();
  }

  private static String opts(Path data, String more) {
    return "dataset=[" + data + "] " + more;
  }

  @Test
  void theScaleFieldTakesNothingAutoOrAFactor() {
    assertThat(TrainCommand.scale(" ")).isNull();
    assertThat(TrainCommand.scale("Auto")).isNaN();
    assertThat(TrainCommand.scale("0.5")).isEqualTo(0.5);
    for (String bad : new String[] {"0", "2", "half"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrainCommand.scale(bad))
          .hasMessage("the working scale must be empty, auto or a number in (0, 1], not '"
              + bad + "'");
    }
  }

  @Test
  void everyCommandOfPluginsConfigIsAPlugIn() throws Exception {
    Map<String, String> commands = HeadlessMacro.commands();
    assertThat(commands).containsKeys("LazySeg Add Label", "LazySeg Train", "LazySeg Segment");
    for (String className : commands.values()) {
      Class<?> c = Class.forName(className.replaceAll("\\(.*", ""));
      assertThat(PlugIn.class.isAssignableFrom(c)).as(className).isTrue();
    }
  }

  @Test
  void labelTrainAndSegmentThroughMacroOptions() throws Exception {
    Path data = dir.resolve("foam data"), run = dir.resolve("foam model");
    FoamGenerator foam = new FoamGenerator(128, 128, FoamGenerator.Settings.defaults());
    List<FoamImage> truth = new ArrayList<>();
    List<ImagePlus> images = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      truth.add(foam.generate(i));
      images.add(HeadlessImageJ.image("foam" + i + ".png", truth.get(i).image()));
    }

    // Strong outlines: each object of images 0 and 1 selected exactly (its traced outline).
    for (int i = 0; i < 2; i++) {
      for (ObjectMasks.Mask m : ObjectMasks.of(truth.get(i).instances(), truth.get(i).classes())) {
        images.get(i).setRoi(RoiSets.outline(m));
        IJ.run(images.get(i), "LazySeg Add Label",
            opts(data, "kind=strong class=" + CLASSES.get(m.classId() - 1)));
      }
    }
    // Partial regions: a disc inside each object of images 2 and 3; a scribble on image 2.
    for (int i = 2; i < 4; i++) {
      for (ObjectMasks.Mask m : ObjectMasks.of(truth.get(i).instances(), truth.get(i).classes())) {
        int[] c = inner(m);
        images.get(i).setRoi(new OvalRoi(c[0] - 2, c[1] - 2, 5, 5));
        IJ.run(images.get(i), "LazySeg Add Label",
            opts(data, "kind=partial class=" + CLASSES.get(m.classId() - 1)));
      }
    }
    Line scribble = new Line(20, 30, 60, 30);
    scribble.setStrokeWidth(3);
    images.get(2).setRoi(scribble);
    IJ.run(images.get(2), "LazySeg Add Label", opts(data, "kind=scribble"));
    // An object size from a line 20 px long; tags: bubbles present, no crystal.
    images.get(3).setRoi(new Line(10, 10, 10, 30));
    IJ.run(images.get(3), "LazySeg Object Size", opts(data, ""));
    IJ.run(images.get(1), "LazySeg Image Tags", opts(data, "present=[bubble]"));

    // The files: as lazyseg train reads them.
    assertThat(Set.copyOf(Files.readAllLines(data.resolve("classes.txt"))))
        .isEqualTo(Set.copyOf(CLASSES));
    List<String> classes = Files.readAllLines(data.resolve("classes.txt"));
    FloatImage saved = ImageFiles.readImage(data.resolve("images/foam0.tif"));
    for (int p = 0; p < saved.data().length; p++) {
      assertThat(Math.abs(saved.data()[p] - truth.get(0).image().data()[p]))
          .isLessThanOrEqualTo(0.5f / 255 + 1e-6f);
    }
    for (int i = 0; i < 2; i++) {
      LabelImage mask = ImageFiles.readLabels(data.resolve("masks/foam" + i + ".png"));
      LabelImage objects = ImageFiles.readLabels(data.resolve("instances/foam" + i + ".png"));
      LabelImage want = truth.get(i).classes();
      int agree = 0;
      for (int p = 0; p < want.data().length; p++) {
        int wantName = want.data()[p];
        int got = mask.data()[p];
        agree += (got == 0 ? 0 : CLASSES.indexOf(classes.get(got - 1)) + 1) == wantName ? 1 : 0;
      }
      assertThat(agree).as("mask pixels agreeing with the truth")
          .isGreaterThan(want.data().length * 99 / 100);
      assertThat(objects.max()).isEqualTo(truth.get(i).instances().max());
    }
    LabelImage partial = ImageFiles.readLabels(data.resolve("partial/foam2.png"));
    int marked = 0, inside = 0;
    for (int p = 0; p < partial.data().length; p++) {
      if (partial.data()[p] != 0) {
        marked++;
        // (a disc at a small object's deepest pixel may reach past its edge)
        inside += CLASSES.indexOf(classes.get(partial.data()[p] - 1)) + 1
            == truth.get(2).classes().data()[p] ? 1 : 0;
      }
    }
    assertThat(marked).isGreaterThan(10 * truth.get(2).instances().max());
    assertThat(inside).isGreaterThan(marked * 95 / 100);
    LabelImage scribbles = ImageFiles.readLabels(data.resolve("scribbles/foam2.png"));
    assertThat(scribbles.get(40, 30)).isNotZero();
    assertThat(scribbles.get(40, 40)).isZero();
    assertThat(Files.readAllLines(data.resolve("sizes.csv"))).containsExactly("id,size",
        "foam3,20");
    assertThat(Files.readAllLines(data.resolve("tags.csv")))
        .contains("foam1," + (classes.get(0).equals("bubble") ? "1,0" : "0,1"));
    assertThat(Dataset.open(data).trainingSet(Dataset.TRAIN).kinds())
        .contains(Kind.MASK, Kind.PARTIAL, Kind.SCRIBBLES, Kind.SIZE, Kind.TAGS);
    Overlay overlay = images.get(0).getOverlay();
    assertThat(overlay.size()).isEqualTo(truth.get(0).instances().max());
    assertThat(images.get(2).getOverlay().toArray()).extracting(Roi::getName)
        .contains("lazyseg:partial", "lazyseg:scribbles");

    // Train (the method from the labels: multitask), then again: it resumes. The budget is
    // gone before the first step, so each call trains one epoch of one step.
    String train = "dataset=[" + data + "] model=[" + run + "] method=auto profile=quick"
        + " minutes=0.001 threads=1 normalize=percentile";
    IJ.run("LazySeg Train", train);
    assertThat(run.resolve("checkpoints/best/parameters.bin")).exists();
    assertThat(new org.lazyseg.train.RunFolder(run).readModel().spec().normalization().kind())
        .as("Segment below normalises each image by its own percentiles, as the API does")
        .isEqualTo("percentile");
    assertThat(Files.readString(run.resolve("training-data.json"))).contains("multitask");
    assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(2);
    IJ.run("LazySeg Train", train);
    assertThat(Files.readAllLines(run.resolve("metrics.csv"))).as("resumed: a second epoch")
        .hasSize(3);

    // Segment an unseen image from a macro, as a headless batch run does.
    Path unseen = dir.resolve("unseen.tif"), labelsTif = dir.resolve("unseen-labels.tif");
    Path csv = dir.resolve("objects.csv"), zip = dir.resolve("unseen rois.zip");
    Path calibratedCsv = dir.resolve("objects um.csv");
    FoamImage u = foam.generate(99);
    new FileSaver(HeadlessImageJ.image("unseen.tif", u.image())).saveAsTiff(unseen.toString());
    IJ.runMacro("setBatchMode(true);\n"
        + "open('" + unseen + "');\n"
        + "run('LazySeg Segment', 'model=[" + run + "] least=0 roi=[" + zip + "]');\n"
        + "selectImage('unseen-labels');\n"
        + "saveAs('Tiff', '" + labelsTif + "');\n"
        + "Table.save('" + csv + "', 'Results');\n"
        // The same image calibrated (0.5 um pixels): the table in um.
        + "open('" + unseen + "');\n"
        + "setVoxelSize(0.5, 0.5, 1, 'um');\n"
        + "run('LazySeg Segment', 'model=[" + run + "] least=0');\n"
        + "Table.save('" + calibratedCsv + "', 'Results');\n");
    ImagePlus labels = IJ.openImage(labelsTif.toString());
    assertThat(labels.getBitDepth()).isEqualTo(16);
    LabelImage expected;
    try (SegmentationModel model = SegmentationModel.open(run,
        SegmentationModel.Options.DEFAULT.withMinArea(0))) {
      expected = model.segmentInBands(ImageFiles.readImage(unseen), null).instances();
    }
    ImageProcessor ip = labels.getProcessor();
    int[] area = new int[expected.max() + 1];
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 128; x++) {
        assertThat(ip.get(x, y)).as("label at %d,%d", x, y).isEqualTo(expected.get(x, y));
        area[expected.get(x, y)]++;
      }
    }
    ResultsTable table = ResultsTable.open(csv.toString());
    assertThat(table.size()).isEqualTo(expected.max());
    Set<Integer> seen = new HashSet<>();
    for (int r = 0; r < table.size(); r++) {
      int object = (int) table.getValue("Object", r);
      seen.add(object);
      assertThat(table.getValue("Area", r)).isEqualTo(area[object]);
      assertThat(table.getStringValue("Class", r)).isIn(CLASSES);
      assertThat(table.getValue("MeanIntensity", r)).isBetween(0.0, 1.0);
    }
    assertThat(seen).hasSize(expected.max());
    ResultsTable um = ResultsTable.open(calibratedCsv.toString());
    assertThat(um.size()).isEqualTo(table.size());
    for (int r = 0; r < table.size(); r++) {
      assertThat(um.getValue("Object", r)).isEqualTo(table.getValue("Object", r));
      assertThat(table.getStringValue("Unit", r)).isEqualTo("pixel");
      assertThat(um.getStringValue("Unit", r)).isEqualTo("µm");
      assertThat(um.getValue("Area", r)).isCloseTo(table.getValue("Area", r) * 0.25,
          within(1e-3));
      for (String c : new String[] {"X", "Y", "BX", "BY", "Width", "Height", "Perim.", "Major"}) {
        assertThat(um.getValue(c, r)).as(c).isCloseTo(table.getValue(c, r) * 0.5, within(1e-3));
      }
      assertThat(um.getValue("MeanIntensity", r)).isEqualTo(table.getValue("MeanIntensity", r));
    }
    assertThat(zip).exists();
    assertThat(RoiSetsTest.read(zip)).hasSize(expected.max());

    if (System.getProperty("lazyseg.docs") != null) {
      DocsPictures.write(Path.of(System.getProperty("lazyseg.docs")), images.get(0),
          images.get(2), HeadlessImageJ.image("unseen.tif", u.image()), zip);
    }
  }

  /** A pixel deep inside the object: its largest distance from the outline, roughly. */
  private static int[] inner(ObjectMasks.Mask m) {
    int best = -1, bx = 0, by = 0;
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        if (!m.inside()[y * m.width() + x]) {
          continue;
        }
        int d = Integer.MAX_VALUE;
        for (int r = 1; r < 20 && d == Integer.MAX_VALUE; r++) {
          for (int k = 0; k < 4; k++) {
            int xx = x + (k == 0 ? r : k == 1 ? -r : 0), yy = y + (k == 2 ? r : k == 3 ? -r : 0);
            if (xx < 0 || yy < 0 || xx >= m.width() || yy >= m.height()
                || !m.inside()[yy * m.width() + xx]) {
              d = r;
              break;
            }
          }
        }
        if (d > best) {
          best = d;
          bx = x;
          by = y;
        }
      }
    }
    return new int[] {bx + m.x(), by + m.y()};
  }

  /**
   * Runs a command that should fail and returns ImageJ's last error message. Where a macro
   * runs in batch mode, ImageJ aborts it after an error (as after its own errors): that
   * abort, not an exception of ours, is all that may come out.
   */
  private static String error(ImagePlus imp, String command, String options) {
    try {
      IJ.run(imp, command, options);
    } catch (RuntimeException e) {
      assertThat(e.getMessage()).isEqualTo(Macro.MACRO_CANCELED);
    }
    return IJ.getErrorMessage();
  }

  @Test
  void aSelectionOutsideTheImageOrOfZeroAreaGivesAMessageAndWritesNothing() throws Exception {
    Path data = dir.resolve("bad");
    ImagePlus imp = new ImagePlus("blank.png", new ij.process.ByteProcessor(64, 64));
    String options = opts(data, "kind=partial class=cell");

    imp.setRoi(new Roi(100, 100, 10, 10));
    assertThat(error(imp, "LazySeg Add Label", options)).contains("outside the 64 x 64 image");

    imp.setRoi(new PolygonRoi(new int[] {5, 10, 15}, new int[] {5, 5, 5}, 3, Roi.POLYGON));
    assertThat(error(imp, "LazySeg Add Label", options)).contains("zero area");

    imp.deleteRoi();
    assertThat(error(imp, "LazySeg Add Label", options)).contains("no selection");

    assertThat(error(imp, "LazySeg Segment", "model=[" + dir.resolve("no such model") + "]"))
        .contains("not a run folder");
    assertThat(data).doesNotExist();
  }

  /**
   * More bad selections, each one message naming the problem (never "failed: ..." with a
   * stack trace in the Log): a point and a line outside the image, a line of zero length, a
   * freehand selection of zero width, a removal under a selection outside the image, an
   * object size from a zero-length line; and from batch macros, a rectangle outside the image
   * and one of zero width (which ImageJ's makeRectangle drops: no selection), each stopping
   * the macro after the message.
   */
  @Test
  void otherBadSelectionsGiveOneMessageEachAndWriteNothing() throws Exception {
    Path data = dir.resolve("bad too");
    ImagePlus imp = new ImagePlus("blank.png", new ij.process.ByteProcessor(64, 64));
    String partial = opts(data, "kind=partial class=cell");
    List<String> messages = new ArrayList<>();

    imp.setRoi(new ij.gui.PointRoi(80, 20));
    messages.add(error(imp, "LazySeg Add Label", partial));
    assertThat(messages.get(0)).contains("outside the 64 x 64 image");
    imp.setRoi(new Line(70, 70, 90, 90));
    messages.add(error(imp, "LazySeg Add Label", opts(data, "kind=scribble")));
    assertThat(messages.get(1)).contains("outside the 64 x 64 image");
    imp.setRoi(new Line(10, 10, 10, 10));
    messages.add(error(imp, "LazySeg Add Label", opts(data, "kind=scribble")));
    assertThat(messages.get(2)).contains("zero area");
    // (ImageJ widens a rectangle or oval of zero width to 1 pixel; a freehand one stays 0)
    imp.setRoi(new PolygonRoi(new int[] {5, 5, 5}, new int[] {1, 5, 9}, 3, Roi.FREEROI));
    messages.add(error(imp, "LazySeg Add Label", opts(data, "kind=strong class=cell")));
    assertThat(messages.get(3)).contains("zero area");
    imp.setRoi(new Roi(-30, -30, 20, 20));
    messages.add(error(imp, "LazySeg Remove Label", opts(data, "kind=any")));
    assertThat(messages.get(4)).contains("outside the 64 x 64 image");
    imp.setRoi(new Line(10, 10, 10, 10));
    messages.add(error(imp, "LazySeg Object Size", opts(data, "")));
    assertThat(messages.get(5)).contains("no object size");
    assertThat(messages).allSatisfy(m -> assertThat(m).doesNotContain("failed", "Exception"));
    assertThat(data).doesNotExist();

    // Batch macros: the message, then the macro stops (the next line does not run).
    Path after = dir.resolve("ran on.txt");
    String[][] cases = {{"makeRectangle(100, 100, 10, 10)", "outside the 64 x 64 image"},
        {"makeRectangle(10, 10, 0, 20)", "no selection"}};
    for (String[] c : cases) {
      java.io.PrintStream err = System.err;
      java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
      System.setErr(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        IJ.runMacro("setBatchMode(true);\n"
            + "newImage('blank', '8-bit black', 64, 64, 1);\n"
            + c[0] + ";\n"
            + "run('LazySeg Add Label', '" + partial + "');\n"
            + "File.saveString('ran on', '" + after + "');\n");
      } finally {
        System.setErr(err);
      }
      String printed = console.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(printed).as(c[0]).contains("LazySeg Add Label: ").contains(c[1])
          .doesNotContain("Exception");
      assertThat(after).doesNotExist();
    }
    assertThat(data).doesNotExist();
  }
}
