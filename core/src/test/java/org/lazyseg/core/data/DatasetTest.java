package org.lazyseg.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.testing.TestTiffs;

class DatasetTest {
  @TempDir Path dir;

  private void image(String name, int w, int h) {
    FloatImage img = new FloatImage(w, h, 3);
    img.set(1, 0, 0, 0.5f);
    ImageFiles.writeImage(img, dir.resolve("images").resolve(name), false);
  }

  private void labels(String folder, String id, int w, int h, int... values) {
    LabelImage l = new LabelImage(w, h);
    System.arraycopy(values, 0, l.data(), 0, values.length);
    ImageFiles.writeLabels(l, dir.resolve(folder).resolve(id + ".png"));
  }

  private void text(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content);
  }

  private void assertOpenFails(String... fragments) {
    assertThatThrownBy(() -> Dataset.open(dir))
        .isInstanceOf(DatasetException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(fragments).doesNotContain("\n"));
  }

  @Test
  void aStackIsOnePlaneAndValidateSaysSoAndAnOmeTiffsIdHasNoOme() throws IOException {
    Files.createDirectories(dir.resolve("images"));
    Path stack = dir.resolve("images/s.tif");
    TestTiffs.write(stack, TestTiffs.numbered(5));
    Path ome = dir.resolve("images/f_ome.ome.tif");
    TestTiffs.write(ome, TestTiffs.numbered(2), Map.of(TestTiffs.IMAGE_DESCRIPTION,
        TestTiffs.omeXml("XYZCT", 1, 2, 1, "", null)));
    labels("masks", "f_ome", 8, 6, 1);
    Dataset ds = Dataset.open(dir);
    assertThat(ds.samples()).extracting(Sample::id).containsExactly("f_ome", "s");
    assertThat(ds.validate(ProgressCallback.NONE)).containsExactly(stack + ": 5 pages (TIFF);"
        + " a dataset image is one plane: only the first (plane 1 of 5) is used");
    FloatImage first = ds.sample("s").orElseThrow().loadImage();
    assertThat(first.channels()).isEqualTo(1);
    assertThat(first.get(0, 1, 1)).isEqualTo(10 / 255f);
    // One plane of two channels: both, and nothing to say.
    assertThat(ds.sample("f_ome").orElseThrow().loadImage().channels()).isEqualTo(2);
    // A stack whose planes cannot be laid out is found by validate, naming the file.
    TestTiffs.write(ome, TestTiffs.numbered(1), Map.of(TestTiffs.IMAGE_DESCRIPTION,
        TestTiffs.omeXml("XYZCT", 1, 2, 1, "", null)));
    assertThatThrownBy(() -> Dataset.open(dir).validate(ProgressCallback.NONE))
        .isInstanceOf(DatasetException.class).hasMessageContaining(ome + ": its OME-XML");
  }

  @Test
  void jpegImagesAreSamplesToo() throws IOException {
    image("a.png", 4, 3);
    BufferedImage rgb = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
    Files.createDirectories(dir.resolve("images"));
    javax.imageio.ImageIO.write(rgb, "jpg", dir.resolve("images/b.jpg").toFile());
    javax.imageio.ImageIO.write(rgb, "jpeg", dir.resolve("images/c.JPEG").toFile());
    labels("masks", "b", 5, 3, 1, 1);
    Dataset ds = Dataset.open(dir);
    assertThat(ds.samples()).extracting(Sample::id).containsExactly("a", "b", "c");
    Sample b = ds.sample("b").orElseThrow();
    assertThat(b.loadImage().channels()).isEqualTo(3);
    assertThat(b.loadClasses().width()).isEqualTo(5);
    ds.validate(ProgressCallback.NONE);
  }

  @Test
  void opensAFullDatasetWithClassesTagsSizesAndATiff() throws IOException {
    image("a.png", 4, 3);
    // A TIFF image through TwelveMonkeys.
    BufferedImage tif = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
    tif.getRaster().setSample(1, 1, 0, 200);
    ImageFiles.write(tif, dir.resolve("images/b.tif"));
    image("c.png", 4, 3);
    text("classes.txt", "gland\n\nlumen\n");
    labels("masks", "a", 4, 3, 0, 1, 1, 2, 0, 1, 0, 2, 0, 0, 0, 2);
    labels("instances", "a", 4, 3, 0, 300, 300, 7, 0, 300, 0, 7, 0, 0, 0, 7);
    labels("masks", "b", 4, 3, 1, 1, 0, 2, 1, 0, 0, 2, 0, 0, 2, 2);
    labels("partial", "b", 4, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
    labels("scribbles", "b", 4, 3, 0, 0, 255, 0);
    text("tags.csv", "id,gland,lumen\na,1,1\nc,0,1\n");
    text("sizes.csv", "id,size\nc,12.5\n");
    text("split.csv", "id,split\nb,test\n");

    Dataset ds = Dataset.open(dir);
    assertThat(ds.classNames()).containsExactly("gland", "lumen");
    assertThat(ds.samples()).extracting(Sample::id).containsExactly("a", "b", "c");
    assertThat(ds.samples("train")).extracting(Sample::id).containsExactly("a", "c");
    assertThat(ds.samples("test")).extracting(Sample::id).containsExactly("b");
    assertThat(ds.splits()).containsExactly("test", "train");

    Sample a = ds.sample("a").orElseThrow();
    assertThat(a.tags()).hasValueSatisfying(t -> assertThat(t).containsExactly(true, true));
    assertThat(a.size()).isEmpty();
    assertThat(a.partial()).isEmpty();
    assertThat(a.loadImage().channels()).isEqualTo(3);
    assertThat(a.loadClasses().data()).containsExactly(0, 1, 1, 2, 0, 1, 0, 2, 0, 0, 0, 2);
    // 16-bit instance ids come back unchanged.
    assertThat(a.loadInstances().data()).containsExactly(0, 300, 300, 7, 0, 300, 0, 7, 0, 0, 0, 7);

    Sample b = ds.sample("b").orElseThrow();
    FloatImage bImage = b.loadImage();
    assertThat(bImage.channels()).isEqualTo(1);
    assertThat(bImage.get(0, 1, 1)).isCloseTo(200f / 255f, org.assertj.core.api.Assertions.within(1e-6f));
    // Without instances/, each 4-connected region of one class is an instance.
    assertThat(b.loadInstances().data()).containsExactly(1, 1, 0, 2, 1, 0, 0, 2, 0, 0, 2, 2);
    assertThat(b.loadPartial().data()).containsExactly(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
    assertThat(b.loadScribbles().data()).containsExactly(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertThat(b.tags()).isEmpty();

    Sample c = ds.sample("c").orElseThrow();
    assertThat(c.size()).hasValue(12.5);
    assertThat(c.mask()).isEmpty();
    assertThatThrownBy(c::loadClasses).isInstanceOf(DatasetException.class).hasMessageContaining("has no masks/c.png");

    List<String> seen = new ArrayList<>();
    ds.validate((done, total, id) -> seen.add(done + "/" + total + " " + id));
    assertThat(seen).containsExactly("1/3 a", "2/3 b", "3/3 c");
    ds.validateAll(ProgressCallback.NONE);
  }

  @Test
  void withoutClassesTxtMasksHoldInstanceIdsOfOneClass() throws IOException {
    image("x.png", 3, 2);
    image("y.png", 3, 2);
    labels("masks", "x", 3, 2, 0, 1000, 1000, 2, 0, 0);
    labels("masks", "y", 3, 2, 255, 0, 255, 255, 0, 0);
    text("tags.csv", "id,worm\nx,1\ny,0\n");
    Dataset ds = Dataset.open(dir);
    assertThat(ds.classNames()).containsExactly("worm");
    assertThat(ds.samples("train")).hasSize(2);
    Sample x = ds.sample("x").orElseThrow();
    assertThat(x.loadClasses().data()).containsExactly(0, 1, 1, 1, 0, 0);
    assertThat(x.loadInstances().data()).containsExactly(0, 1000, 1000, 2, 0, 0);
    // A 0/255 mask is split into its 4-connected components.
    assertThat(ds.sample("y").orElseThrow().loadInstances().data()).containsExactly(1, 0, 2, 1, 0, 0);
  }

  @Test
  void defaultClassNameWithoutClassesOrTags() {
    image("x.png", 2, 2);
    assertThat(Dataset.open(dir).classNames()).containsExactly(Dataset.DEFAULT_CLASS);
    assertThat(Dataset.open(dir).samples("train")).hasSize(1);
  }

  @Test
  void missingFolder() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> Dataset.open(missing)).isInstanceOf(DatasetException.class)
        .hasMessageContaining("nope").hasMessageContaining("no such dataset folder");
  }

  @Test
  void noImagesFolder() {
    assertOpenFails("images", "missing");
  }

  @Test
  void emptyDataset() throws IOException {
    Files.createDirectories(dir.resolve("images"));
    Files.writeString(dir.resolve("images/notes.txt"), "x");
    assertOpenFails("images", "empty dataset");
  }

  @Test
  void splitIdWithoutImage() throws IOException {
    image("a.png", 2, 2);
    text("split.csv", "id,split\na,train\nghost,test\n");
    assertOpenFails("split.csv", "line 3", "ghost", "no image");
  }

  @Test
  void malformedCsvLine() throws IOException {
    image("a.png", 2, 2);
    text("split.csv", "id,split\na,train,extra\n");
    assertOpenFails("split.csv", "line 2", "'a,train,extra'", "expected 2 fields");
  }

  @Test
  void sizeThatIsNotANumber() throws IOException {
    image("a.png", 2, 2);
    text("sizes.csv", "id,size\n\na,big\n");
    assertOpenFails("sizes.csv", "line 3", "'a,big'", "not a number");
  }

  @Test
  void tagThatIsNotZeroOrOne() throws IOException {
    image("a.png", 2, 2);
    text("classes.txt", "gland\n");
    text("tags.csv", "id,gland\na,2\n");
    assertOpenFails("tags.csv", "line 2", "must be 0 or 1");
  }

  @Test
  void tagHeaderDifferentFromClasses() throws IOException {
    image("a.png", 2, 2);
    text("classes.txt", "gland\nlumen\n");
    text("tags.csv", "id,lumen,gland\na,1,0\n");
    assertOpenFails("tags.csv", "[lumen, gland]", "classes.txt");
  }

  @Test
  void duplicateIds() {
    image("a.png", 2, 2);
    image("a.tif", 2, 2);
    assertOpenFails("a.png", "a.tif", "duplicate id 'a'");
  }

  @Test
  void maskWithoutImage() {
    image("a.png", 2, 2);
    labels("masks", "b", 2, 2);
    assertOpenFails("b.png", "no image with id 'b'");
  }

  @Test
  void tiffLabelIsRejected() {
    image("a.png", 2, 2);
    ImageFiles.writeLabels(new LabelImage(2, 2), dir.resolve("masks/a.tif"));
    assertOpenFails("a.tif", "must be PNG");
  }

  @Test
  void maskSizeDiffersFromImage() {
    image("a.png", 4, 3);
    labels("masks", "a", 3, 3);
    Sample a = Dataset.open(dir).samples().get(0);
    for (Runnable check : List.<Runnable>of(a::loadClasses,
        () -> Dataset.open(dir).validate(ProgressCallback.NONE))) {
      assertThatThrownBy(check::run).isInstanceOf(DatasetException.class)
          .hasMessageContaining("masks" + dir.getFileSystem().getSeparator() + "a.png")
          .hasMessageContaining("3x3").hasMessageContaining("4x3")
          .hasMessageContaining("images" + dir.getFileSystem().getSeparator() + "a.png");
    }
  }

  @Test
  void partialAndScribbleSizesAreChecked() {
    image("a.png", 4, 3);
    labels("partial", "a", 4, 2);
    labels("scribbles", "a", 5, 3);
    Sample a = Dataset.open(dir).samples().get(0);
    assertThatThrownBy(a::loadPartial).hasMessageContaining("a.png").hasMessageContaining("4x2");
    assertThatThrownBy(a::loadScribbles).hasMessageContaining("a.png").hasMessageContaining("5x3");
  }

  @Test
  void pseudoMasksFollowTheConventionOfMasks() throws IOException {
    image("a.png", 3, 2);
    image("b.png", 3, 2);
    labels("pseudo", "a", 3, 2, 0, 700, 700, 3, 0, 0);
    Dataset ds = Dataset.open(dir);
    assertThat(ds.labelsHoldClassIds()).isFalse();
    Sample a = ds.sample("a").orElseThrow();
    assertThat(a.pseudo()).isPresent();
    // Without classes.txt: instance ids, 16-bit values unchanged.
    assertThat(a.loadPseudo().data()).containsExactly(0, 700, 700, 3, 0, 0);
    Sample b = ds.sample("b").orElseThrow();
    assertThat(b.pseudo()).isEmpty();
    assertThatThrownBy(b::loadPseudo).isInstanceOf(DatasetException.class)
        .hasMessageContaining("has no pseudo/b.png");

    text("classes.txt", "gland\n");
    labels("pseudo", "b", 3, 2, 0, 1, 1, 0, 0, 1);
    ds = Dataset.open(dir);
    assertThat(ds.labelsHoldClassIds()).isTrue();
    assertThat(ds.sample("b").orElseThrow().loadPseudo().data()).containsExactly(0, 1, 1, 0, 0, 1);
    // With classes.txt, class ids: 700 is out of range.
    Sample a2 = ds.sample("a").orElseThrow();
    assertThatThrownBy(a2::loadPseudo).isInstanceOf(DatasetException.class)
        .hasMessageContaining("pseudo").hasMessageContaining("a.png")
        .hasMessageContaining("class value 700");
    assertThatThrownBy(() -> Dataset.open(dir).validateAll(ProgressCallback.NONE))
        .hasMessageContaining("class value 700");
  }

  @Test
  void pseudoMaskSizeIdAndFormatAreChecked() {
    image("a.png", 4, 3);
    labels("pseudo", "a", 4, 2);
    Sample a = Dataset.open(dir).samples().get(0);
    String pseudoFile = "pseudo" + dir.getFileSystem().getSeparator() + "a.png";
    assertThatThrownBy(a::loadPseudo).isInstanceOf(DatasetException.class)
        .hasMessageContaining(pseudoFile).hasMessageContaining("4x2").hasMessageContaining("4x3");
    // validate() reads headers only, and finds it too.
    assertThatThrownBy(() -> Dataset.open(dir).validate(ProgressCallback.NONE))
        .isInstanceOf(DatasetException.class).hasMessageContaining(pseudoFile)
        .hasMessageContaining("4x2");
    labels("pseudo", "zz", 4, 3);
    assertOpenFails("zz.png", "no image with id 'zz'");
  }

  @Test
  void pseudoMaskAsTiffIsRejected() {
    image("a.png", 2, 2);
    ImageFiles.writeLabels(new LabelImage(2, 2), dir.resolve("pseudo/a.tif"));
    assertOpenFails("a.tif", "must be PNG", "pseudo/ID.png");
  }

  @Test
  void classValueOutOfRange() throws IOException {
    image("a.png", 2, 2);
    text("classes.txt", "gland\nlumen\n");
    labels("masks", "a", 2, 2, 0, 1, 3, 0);
    Sample a = Dataset.open(dir).samples().get(0);
    assertThatThrownBy(a::loadClasses).isInstanceOf(DatasetException.class)
        .hasMessageContaining("a.png").hasMessageContaining("class value 3")
        .hasMessageContaining("0,1").hasMessageContaining("2 classes");
    assertThatThrownBy(() -> Dataset.open(dir).validateAll(ProgressCallback.NONE))
        .hasMessageContaining("class value 3");
  }

  @Test
  void unreadableFile() throws IOException {
    image("a.png", 2, 2);
    Files.createDirectories(dir.resolve("masks"));
    Files.writeString(dir.resolve("masks/a.png"), "not a png");
    Dataset ds = Dataset.open(dir);
    assertThatThrownBy(() -> ds.validate(ProgressCallback.NONE)).isInstanceOf(DatasetException.class)
        .hasMessageContaining("a.png").hasMessageContaining("not an image format");
    assertThatThrownBy(() -> ds.samples().get(0).loadClasses()).isInstanceOf(DatasetException.class)
        .hasMessageContaining("a.png");
  }

  @Test
  void textFilesNotInUtf8AreNamedWithTheByteAndLine() throws IOException {
    image("a.png", 2, 2);
    image("caf\u00e9.png", 2, 2);
    // Latin-1, as Excel on Windows saves a CSV: e-acute is the single byte 0xE9.
    Files.write(dir.resolve("split.csv"),
        "id,split\na,train\ncaf\u00e9,test\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Dataset.open(dir)).isInstanceOf(DatasetException.class)
        .hasMessage(dir.resolve("split.csv") + ": not UTF-8 text (byte 0xE9 at line 3, byte 4 of"
            + " the line); save it as UTF-8");
    // The same file in UTF-8 reads, and its id matches the image's.
    text("split.csv", "id,split\na,train\ncaf\u00e9,test\n");
    assertThat(Dataset.open(dir).sample("caf\u00e9").orElseThrow().split()).isEqualTo("test");
    Files.write(dir.resolve("classes.txt"), "gland\nlumi\u00e8re\n".getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Dataset.open(dir)).hasMessage(dir.resolve("classes.txt")
        + ": not UTF-8 text (byte 0xE8 at line 2, byte 5 of the line); save it as UTF-8");
    Files.delete(dir.resolve("classes.txt"));
    Files.write(dir.resolve("tags.csv"), "id,gland\na,1\n".getBytes(
        java.nio.charset.StandardCharsets.UTF_16));
    assertThatThrownBy(() -> Dataset.open(dir)).hasMessage(dir.resolve("tags.csv")
        + ": UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8");
    Path sizes = dir.resolve(PixelSizes.FILE);
    Files.write(sizes, "id,pixel_size\n\u00e9,1\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> PixelSizes.read(sizes)).hasMessageStartingWith(sizes + ": not UTF-8");
  }

  @Test
  void validationNamesEveryBadFileInOneError() throws IOException {
    for (String id : new String[] {"a", "b", "c", "d"}) {
      image(id + ".png", 4, 3);
    }
    labels("masks", "a", 3, 3);                         // wrong size
    labels("partial", "b", 4, 2);                       // wrong size
    Files.writeString(dir.resolve("masks/c.png"), "not a png");
    labels("masks", "d", 4, 3, 1, 1);                   // fine
    Dataset ds = Dataset.open(dir);
    String sep = dir.getFileSystem().getSeparator();
    for (Runnable check : List.<Runnable>of(() -> ds.validate(ProgressCallback.NONE),
        () -> ds.validateAll(ProgressCallback.NONE))) {
      assertThatThrownBy(check::run).isInstanceOf(DatasetException.class).satisfies(e -> {
        List<String> lines = e.getMessage().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("3 bad files:");
        assertThat(lines.get(1)).startsWith("  " + dir.resolve("masks/a.png") + ": size 3x3");
        assertThat(lines.get(2)).startsWith("  " + dir.resolve("partial/b.png") + ": size 4x2");
        assertThat(lines.get(3)).startsWith("  " + dir.resolve("masks/c.png") + ": ")
            .contains("not an image format");
        assertThat(((DatasetException) e).problems()).hasSize(3);
      });
    }
    // Opening names every label file without its image, and every TIFF in a label folder.
    labels("masks", "x", 4, 3);
    labels("scribbles", "y", 4, 3);
    ImageFiles.writeLabels(new LabelImage(4, 3), dir.resolve("partial/a.tif"));
    assertThatThrownBy(() -> Dataset.open(dir)).hasMessageStartingWith("3 bad files:\n")
        .hasMessageContaining("masks" + sep + "x.png: no image with id 'x'")
        .hasMessageContaining("scribbles" + sep + "y.png: no image with id 'y'")
        .hasMessageContaining("partial" + sep + "a.tif: label images must be PNG");
  }

  @Test
  void moreThanTwentyBadFilesAreListedTwentyAndCounted() {
    for (int i = 0; i < 23; i++) {
      image("i" + (100 + i) + ".png", 4, 3);
      labels("masks", "i" + (100 + i), 2, 2);
    }
    assertThatThrownBy(() -> Dataset.open(dir).validate(ProgressCallback.NONE)).satisfies(e -> {
      List<String> lines = e.getMessage().lines().toList();
      assertThat(lines).hasSize(1 + DatasetException.MAX_LISTED + 1);
      assertThat(lines.get(0)).isEqualTo("23 bad files:");
      assertThat(lines.get(20)).contains("i119.png");
      assertThat(lines.get(21)).isEqualTo("  and 3 more");
    });
  }

  @Test
  void glasFromSharedData() {
    Path glas = Path.of(System.getProperty("lazyseg.shared", "../../shared")).resolve("data/glas");
    Assumptions.assumeTrue(Files.isDirectory(glas), "no shared GlaS copy at " + glas);
    Dataset ds = Dataset.open(glas);
    assertThat(ds.samples("train")).hasSize(85);
    assertThat(ds.samples("testA")).hasSize(60);
    assertThat(ds.samples()).hasSize(145);
    assertThat(ds.classNames()).hasSize(1);
    long t0 = System.nanoTime();
    ds.validate(ProgressCallback.NONE);
    assertThat((System.nanoTime() - t0) / 1e9).as("header-only validation seconds").isLessThan(20);
    Sample s = ds.samples("testA").get(0);
    FloatImage image = s.loadImage();
    LabelImage glands = s.loadInstances();
    assertThat(glands.sameSize(image.width(), image.height())).isTrue();
    assertThat(glands.max()).isPositive();
  }
}
