package org.lazyseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.LabelImport.Kind;
import org.lazyseg.core.data.LabelImport.Options;
import org.lazyseg.core.data.LabelImport.Rule;
import org.lazyseg.core.data.LabelImport.Tool;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/**
 * Label images as Labkit, ilastik and napari write them, imported and read back through
 * {@link Dataset}: the values each label kind ends up holding, and the mistakes refused.
 */
class LabelImportTest {
  @TempDir Path dir;

  private static final int W = 8, H = 6;

  /** A dataset of images a, b (8 x 6), with classes.txt when classes are given. */
  private Dataset dataset(String... classes) throws Exception {
    Path data = dir.resolve("data");
    for (String id : List.of("a", "b")) {
      ImageFiles.writeImage(new FloatImage(W, H, 1), data.resolve("images/" + id + ".png"), false);
    }
    if (classes.length > 0) {
      Files.writeString(data.resolve("classes.txt"), String.join("\n", classes) + "\n");
    }
    return Dataset.open(data);
  }

  /** Rows of values, top to bottom. */
  private static LabelImage labels(int[][] rows) {
    LabelImage l = new LabelImage(rows[0].length, rows.length);
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < rows[0].length; x++) {
        l.set(x, y, rows[y][x]);
      }
    }
    return l;
  }

  /** An image whose left half is {@code left}, right half {@code right}, one pixel {@code dot}. */
  private static LabelImage halves(int left, int right, int dot) {
    LabelImage l = new LabelImage(W, H);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        l.set(x, y, x < W / 2 ? left : right);
      }
    }
    l.set(1, 1, dot);
    return l;
  }

  /** An 8-bit grey TIFF, as Labkit and ilastik save label indices. */
  private static void tiff8(LabelImage l, Path file) throws Exception {
    BufferedImage img = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSamples(0, 0, l.width(), l.height(), 0, l.data());
    ImageFiles.write(img, file);
  }

  private static List<Rule> map(String... entries) {
    List<Rule> rules = new ArrayList<>();
    for (String e : entries) {
      rules.add(Rule.parse(e));
    }
    return rules;
  }

  private static LabelImport.Summary run(Path from, Dataset d, Tool tool, Kind kind,
      boolean overwrite, String... map) {
    return LabelImport.run(from, d, new Options(tool, kind, map(map), "", overwrite),
        ProgressCallback.NONE);
  }

  // ---- Labkit --------------------------------------------------------------------------------

  @Test
  void labkitLabelNamesFromItsLabelsFileGiveEachIndexItsMeaningPerFile() throws Exception {
    Dataset d = dataset();   // one class, no classes.txt
    Path labels = dir.resolve("labkit");
    // Index order differs between the two files, as Labkit numbers label sets as they come.
    tiff8(labels(new int[][] {
        {0, 0, 0, 0, 0, 0, 0, 0},
        {0, 1, 1, 0, 3, 2, 2, 0},
        {0, 1, 1, 0, 3, 2, 2, 0},
        {0, 0, 0, 0, 0, 0, 0, 0},
        {2, 2, 0, 0, 0, 0, 0, 0},
        {2, 2, 0, 0, 0, 0, 0, 0}}), labels.resolve("a.tif"));
    Files.writeString(labels.resolve("a.tif.labels"),
        "{\"labelSets\":[[],[\"foreground\"],[\"background\"],[\"interface\"]]}");
    tiff8(halves(2, 0, 1), labels.resolve("b.tif"));
    Files.writeString(labels.resolve("b.tif.labels"),
        "{\"labelSets\":[[],[\"background\"],[\"foreground\"]]}");

    LabelImport.Summary s = run(labels, d, Tool.LABKIT, Kind.PARTIAL, false);

    assertThat(s.images()).isEqualTo(2);
    assertThat(s.written()).isEqualTo(3);   // partial a, b and a's scribbles
    assertThat(s.notes()).singleElement().asString()
        .contains("pixels labelled background are stored as rest (0) in partial/");
    Dataset back = Dataset.open(d.dir());
    Sample a = back.sample("a").orElseThrow();
    assertThat(a.loadPartial().data()).isEqualTo(labels(new int[][] {
        {0, 0, 0, 0, 0, 0, 0, 0},
        {0, 1, 1, 0, 0, 0, 0, 0},
        {0, 1, 1, 0, 0, 0, 0, 0},
        {0, 0, 0, 0, 0, 0, 0, 0},
        {0, 0, 0, 0, 0, 0, 0, 0},
        {0, 0, 0, 0, 0, 0, 0, 0}}).data());
    LabelImage scribbles = a.loadScribbles();
    assertThat(scribbles.get(4, 1) + scribbles.get(4, 2)).isEqualTo(2);
    assertThat(java.util.Arrays.stream(scribbles.data()).sum()).isEqualTo(2);
    Sample b = back.sample("b").orElseThrow();
    assertThat(b.loadPartial().data()).isEqualTo(halves(1, 0, 0).data());
    assertThat(b.scribbles()).isEmpty();
  }

  @Test
  void labkitLabelNamesMayBeMappedAndAFileWithoutNamesNeedsNumbers() throws Exception {
    Dataset d = dataset("gland", "vessel");
    Path labels = dir.resolve("labkit");
    tiff8(halves(1, 2, 2), labels.resolve("a.tif"));
    Files.writeString(labels.resolve("a.tif.labels"),
        "{\"labelSets\":[[],[\"Label 1\"],[\"gland\"]]}");
    tiff8(halves(1, 2, 2), labels.resolve("b.tif"));   // no .labels file

    assertThatThrownBy(() -> run(labels, d, Tool.LABKIT, Kind.MASK, false))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith("2 bad files:")
        .hasMessageContaining(labels.resolve("a.tif") + ": values without a meaning: 1 (Labkit"
            + " label 'Label 1'): 23 pixels; give each one with --map VALUE=MEANING (unlabelled,"
            + " background or a class: gland, vessel)")
        .hasMessageContaining(labels.resolve("b.tif") + ": values without a meaning: 1: 23"
            + " pixels; 2: 25 pixels;");
    assertThat(d.dir().resolve("masks")).doesNotExist();

    run(labels, d, Tool.LABKIT, Kind.MASK, false, "Label 1=vessel", "1=background", "2=gland");

    Dataset back = Dataset.open(d.dir());
    // a: its names say 1 = 'Label 1' = vessel (the name rule comes first), 2 = gland.
    assertThat(back.sample("a").orElseThrow().loadClasses().data())
        .isEqualTo(halves(2, 1, 1).data());
    assertThat(back.sample("b").orElseThrow().loadClasses().data())
        .isEqualTo(halves(0, 1, 1).data());
  }

  @Test
  void aStrongMaskRefusesUnlabelledPixels() throws Exception {
    Dataset d = dataset();
    Path labels = dir.resolve("labkit");
    tiff8(halves(0, 2, 1), labels.resolve("a.tif"));
    Files.writeString(labels.resolve("a.tif.labels"),
        "{\"labelSets\":[[],[\"background\"],[\"foreground\"]]}");

    assertThatThrownBy(() -> run(labels, d, Tool.LABKIT, Kind.MASK, false))
        .isInstanceOf(DatasetException.class)
        .hasMessage(labels.resolve("a.tif") + ": 23 pixels are unlabelled (value 0), but a strong"
            + " mask gives every pixel background or a class: import sparse labels --as partial,"
            + " or map the value to background (--map 0=background)");
  }

  // ---- ilastik -------------------------------------------------------------------------------

  @Test
  void ilastikSimpleSegmentationIsOneBasedFirstLabelBackground() throws Exception {
    Dataset d = dataset("gland", "vessel");
    Path labels = dir.resolve("ilastik");
    tiff8(halves(1, 2, 3), labels.resolve("a.tiff"));
    ImageFiles.writeLabels(halves(2, 2, 1), labels.resolve("b.png"));

    LabelImport.Summary s = run(labels, d, Tool.ILASTIK, Kind.MASK, false);

    assertThat(s.toString()).isEqualTo("2 label images imported: 2 files written");
    Dataset back = Dataset.open(d.dir());
    assertThat(back.sample("a").orElseThrow().loadClasses().data()).isEqualTo(halves(0, 1, 2).data());
    assertThat(back.sample("b").orElseThrow().loadClasses().data()).isEqualTo(halves(1, 1, 0).data());

    // A label the dataset has no class for.
    ImageFiles.writeLabels(halves(1, 4, 1), labels.resolve("b.png"));
    assertThatThrownBy(() -> run(labels, d, Tool.ILASTIK, Kind.MASK, true))
        .hasMessage(labels.resolve("b.png") + ": values without a meaning: 4: 24 pixels; give"
            + " each one with --map VALUE=MEANING (unlabelled, background or a class: gland,"
            + " vessel)");
    // --map first: here ilastik's label 1 was the glands and 4 the background.
    run(labels, d, Tool.ILASTIK, Kind.MASK, true, "1=gland", "4=background");
    assertThat(Dataset.open(d.dir()).sample("b").orElseThrow().loadClasses().data())
        .isEqualTo(halves(1, 0, 1).data());
  }

  @Test
  void aPartialMaskOfOneClassHoldsOneForTheClassAndScribblesNeedANamedInterface() throws Exception {
    Dataset d = dataset();
    Path labels = dir.resolve("ilastik");
    tiff8(halves(1, 2, 0), labels.resolve("a.tif"));

    run(labels, d, Tool.ILASTIK, Kind.PARTIAL, false);
    assertThat(Dataset.open(d.dir()).sample("a").orElseThrow().loadPartial().data())
        .isEqualTo(halves(0, 1, 0).data());

    assertThatThrownBy(() -> run(labels, d, Tool.ILASTIK, Kind.SCRIBBLES, false))
        .hasMessageContaining("values without a meaning: 1: 23 pixels; 2: 24 pixels; give each"
            + " one with --map VALUE=MEANING (unlabelled, background, interface)");
    run(labels, d, Tool.ILASTIK, Kind.SCRIBBLES, false, "2=interface", "*=unlabelled");
    assertThat(Dataset.open(d.dir()).sample("a").orElseThrow().loadScribbles().data())
        .isEqualTo(halves(0, 1, 0).data());
  }

  // ---- napari --------------------------------------------------------------------------------

  @Test
  void napariObjectIdsStayInstanceIdsOfTheOneClass() throws Exception {
    Dataset d = dataset();
    Path labels = dir.resolve("napari");
    LabelImage ids = halves(0, 7, 70000);   // a 32-bit layer; 70000 is above a 16-bit PNG
    ids.set(2, 4, 5);
    ImageFiles.writeLabelsTiff32(ids, labels.resolve("a.tif"));

    LabelImport.Summary s = run(labels, d, Tool.NAPARI, Kind.MASK, false);

    assertThat(s.notes()).singleElement().asString().contains("renumbered 1..n");
    LabelImage back = Dataset.open(d.dir()).sample("a").orElseThrow().loadInstances();
    // Renumbered in raster order of first pixels: 7 at (4, 0) -> 1, 70000 at (1, 1) -> 2,
    // 5 at (2, 4) -> 3.
    LabelImage expected = halves(0, 1, 2);
    expected.set(2, 4, 3);
    assertThat(back.data()).isEqualTo(expected.data());

    // As partial masks: 0 is unlabelled (rest), the ids stay.
    ids.set(1, 1, 9);
    ImageFiles.writeLabelsTiff32(ids, labels.resolve("a.tif"));
    run(labels, d, Tool.NAPARI, Kind.PARTIAL, false);
    LabelImage partial = Dataset.open(d.dir()).sample("a").orElseThrow().loadPartial();
    assertThat(partial.data()).isEqualTo(ids.data());
  }

  @Test
  void napariIdsOfSeveralClassesGoToMasksAndInstances() throws Exception {
    Dataset d = dataset("gland", "vessel");
    Path labels = dir.resolve("napari");
    LabelImage ids = halves(1, 4, 2);
    ImageFiles.writeLabels(ids, labels.resolve("a.png"));

    assertThatThrownBy(() -> run(labels, d, Tool.NAPARI, Kind.MASK, false))
        .hasMessageContaining("values without a meaning: 1: 23 pixels; 2: 1 pixels; 4: 24 pixels");
    run(labels, d, Tool.NAPARI, Kind.MASK, false, "1-2=gland", "*=vessel");

    Sample a = Dataset.open(d.dir()).sample("a").orElseThrow();
    assertThat(a.loadClasses().data()).isEqualTo(halves(1, 2, 1).data());
    assertThat(a.loadInstances().data()).isEqualTo(ids.data());
  }

  // ---- mistakes ------------------------------------------------------------------------------

  @Test
  void filesMatchingNoImageAreNamedInOneErrorAndNothingIsWritten() throws Exception {
    Dataset d = dataset();
    Path labels = dir.resolve("labels");
    ImageFiles.writeLabels(halves(0, 1, 0), labels.resolve("a_labels.png"));
    ImageFiles.writeLabels(halves(0, 1, 0), labels.resolve("b_labels.png"));
    ImageFiles.writeLabels(halves(0, 1, 0), labels.resolve("c.png"));
    Files.writeString(labels.resolve("notes.txt"), "not a label image");

    assertThatThrownBy(() -> run(labels, d, Tool.NAPARI, Kind.PARTIAL, false))
        .hasMessage("3 bad files:\n"
            + "  " + labels.resolve("a_labels.png") + ": no image with id 'a_labels' in "
            + d.dir().resolve("images") + " (ids are file names without extension; --suffix"
            + " strips a text after the id)\n"
            + "  " + labels.resolve("b_labels.png") + ": no image with id 'b_labels' in "
            + d.dir().resolve("images") + " (ids are file names without extension; --suffix"
            + " strips a text after the id)\n"
            + "  " + labels.resolve("c.png") + ": no image with id 'c' in "
            + d.dir().resolve("images") + " (ids are file names without extension; --suffix"
            + " strips a text after the id)");
    assertThat(d.dir().resolve("partial")).doesNotExist();

    Files.delete(labels.resolve("c.png"));
    LabelImport.Summary s = LabelImport.run(labels, d,
        new Options(Tool.NAPARI, Kind.PARTIAL, List.of(), "_labels", false), ProgressCallback.NONE);
    assertThat(s.images()).isEqualTo(2);
    assertThat(Dataset.open(d.dir()).sample("b").orElseThrow().loadPartial().data())
        .isEqualTo(halves(0, 1, 0).data());
  }

  @Test
  void existingLabelsAreKeptUnlessOverwriteAndTheSameLabelsAreARerun() throws Exception {
    Dataset d = dataset();
    Path labels = dir.resolve("labels");
    ImageFiles.writeLabels(halves(0, 1, 0), labels.resolve("a.png"));
    ImageFiles.writeLabels(halves(0, 1, 0), labels.resolve("b.png"));
    LabelImage theirs = halves(0, 0, 3);
    ImageFiles.writeLabels(theirs, d.dir().resolve("partial/a.png"));

    assertThatThrownBy(() -> run(labels, d, Tool.NAPARI, Kind.PARTIAL, false))
        .hasMessage(d.dir().resolve("partial/a.png") + ": holds labels already, other than those"
            + " of " + labels.resolve("a.png") + "; pass --overwrite to replace them");
    assertThat(ImageFiles.readLabels(d.dir().resolve("partial/a.png")).data())
        .isEqualTo(theirs.data());
    assertThat(d.dir().resolve("partial/b.png")).as("nothing written").doesNotExist();

    assertThat(run(labels, d, Tool.NAPARI, Kind.PARTIAL, true).written()).isEqualTo(2);
    // The same import again (after a kill, say) finds its own labels and goes on.
    LabelImport.Summary again = run(labels, d, Tool.NAPARI, Kind.PARTIAL, false);
    assertThat(again.written()).isZero();
    assertThat(again.unchanged()).isEqualTo(2);
  }

  @Test
  void lossyStackedMisfitNegativeAndLabkitLabelingFilesAreRefused() throws Exception {
    Dataset d = dataset();
    Path labels = dir.resolve("labels");
    Files.createDirectories(labels);
    BufferedImage grey = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
    assertThat(ImageIO.write(grey, "jpg", labels.resolve("a.jpg").toFile())).isTrue();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(labels.resolve("b.tif").toFile())) {
      ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
      w.setOutput(out);
      w.prepareWriteSequence(null);
      w.writeToSequence(new IIOImage(grey, null, null), null);
      w.writeToSequence(new IIOImage(grey, null, null), null);
      w.endWriteSequence();
      w.dispose();
    }
    Files.writeString(labels.resolve("x.labeling"), "{}");

    assertThatThrownBy(() -> run(labels, d, Tool.NAPARI, Kind.PARTIAL, false))
        .hasMessageStartingWith("3 bad files:")
        .hasMessageContaining(labels.resolve("a.jpg") + ": JPEG changes pixel values (lossy)")
        .hasMessageContaining(labels.resolve("x.labeling") + ": Labkit's .labeling files are not read")
        .hasMessageContaining(labels.resolve("b.tif") + ": a stack of 2 planes");

    Path other = dir.resolve("other");
    ImageFiles.writeLabels(new LabelImage(W + 1, H), other.resolve("a.png"));
    LabelImage negative = new LabelImage(W, H);
    negative.set(0, 0, -3);
    ImageFiles.writeLabelsTiff32(negative, other.resolve("b.tif"));
    assertThatThrownBy(() -> run(other, d, Tool.NAPARI, Kind.PARTIAL, false))
        .hasMessage("2 bad files:\n  " + other.resolve("a.png") + ": size 9x6 differs from its"
            + " image " + d.dir().resolve("images/a.png") + " (8x6)\n  " + other.resolve("b.tif")
            + ": negative label value -3 (label values are >= 0)");
    assertThat(d.dir().resolve("partial")).doesNotExist();
  }

  @Test
  void classesOfTheMapMustBeTheDatasets() throws Exception {
    Path labels = dir.resolve("labels");
    ImageFiles.writeLabels(halves(1, 2, 1), labels.resolve("a.png"));
    Dataset one = dataset();
    assertThatThrownBy(() -> run(labels, one, Tool.ILASTIK, Kind.MASK, false, "1=gland", "2=vessel"))
        .hasMessage(one.dir() + ": --map names 2 classes (gland, vessel), but a dataset without"
            + " classes.txt has one; write " + one.dir().resolve("classes.txt")
            + " (one class name per line) first");
    // One name in a one-class dataset is its class, whatever it is called.
    LabelImport.Summary s = run(labels, one, Tool.ILASTIK, Kind.MASK, false, "2=gland");
    assertThat(s.notes()).containsExactly(one.dir() + " has one class (no classes.txt), named"
        + " 'foreground': 'gland' is imported as it");

    Files.writeString(one.dir().resolve("classes.txt"), "gland\n");
    Dataset listed = Dataset.open(one.dir());
    assertThatThrownBy(() -> run(labels, listed, Tool.ILASTIK, Kind.MASK, true, "2=gald"))
        .hasMessage(one.dir().resolve("classes.txt") + ": --map names class 'gald', which it does"
            + " not list (gland); a value that means none of them is unlabelled or background");
  }

  @Test
  void mapEntriesTheKindOrToolCannotTakeAreRefusedBeforeAnyFileIsRead() {
    assertThatThrownBy(() -> Rule.parse("1"))
        .hasMessageContaining("--map entry '1' is not VALUES=MEANING");
    assertThatThrownBy(() -> Rule.parse("9-3=gland")).hasMessageContaining("range 9-3 is empty");
    assertThatThrownBy(() -> new Options(Tool.LABKIT, Kind.MASK, map("3=interface"), "", false))
        .hasMessageContaining("a strong mask has no interface pixels");
    assertThatThrownBy(() -> new Options(Tool.NAPARI, Kind.SCRIBBLES, map("*=gland"), "", false))
        .hasMessageContaining("scribbles mark the interfaces between touching objects, not classes");
    assertThatThrownBy(() -> new Options(Tool.ILASTIK, Kind.MASK, map("nucleus=gland"), "", false))
        .hasMessageContaining("'nucleus' is not a value; label names are for Labkit's .labels files");
    assertThat(Tool.parse("Napari")).isEqualTo(Tool.NAPARI);
    assertThat(Kind.parse("masks")).isEqualTo(Kind.MASK);
    assertThatThrownBy(() -> Kind.parse("sizes")).hasMessage(
        "unknown label kind 'sizes' (mask, partial or scribbles)");
  }
}
