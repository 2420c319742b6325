package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/** {@code lazyseg import} as a user meets it: what it says, exit codes, one-line mistakes. */
class ImportCommandTest {
  @TempDir Path dir;

  private Path data() throws Exception {
    Path data = dir.resolve("data");
    for (String id : new String[] {"a", "b"}) {
      ImageFiles.writeImage(new FloatImage(6, 4, 1), data.resolve("images/" + id + ".png"), false);
    }
    Files.writeString(data.resolve("classes.txt"), "gland\n");
    return data;
  }

  private static LabelImage ilastik() {
    LabelImage l = new LabelImage(6, 4);
    java.util.Arrays.fill(l.data(), 1);
    l.set(2, 2, 2);
    return l;
  }

  @Test
  void importsIlastikSegmentationsAsMasksAndSaysWhere() throws Exception {
    Path data = data();
    Path labels = dir.resolve("exported");
    ImageFiles.writeLabels(ilastik(), labels.resolve("a_Simple Segmentation.png"));
    CliTest.Result r = CliTest.run("import", "--tool", "ilastik", "--from", labels.toString(),
        "--data", data.toString(), "--as", "mask", "--suffix", "_Simple Segmentation");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEqualTo("lazyseg: 1 label image imported: 1 file written -> "
        + data.resolve("masks") + System.lineSeparator());
    LabelImage classes = Dataset.open(data).sample("a").orElseThrow().loadClasses();
    assertThat(classes.get(2, 2)).isEqualTo(1);
    assertThat(java.util.Arrays.stream(classes.data()).sum()).isEqualTo(1);
  }

  @Test
  void labelsMatchingNoImageAreOneErrorWithExitCode3() throws Exception {
    Path data = data();
    Path labels = dir.resolve("exported");
    ImageFiles.writeLabels(ilastik(), labels.resolve("x.png"));
    ImageFiles.writeLabels(ilastik(), labels.resolve("y.png"));
    CliTest.Result r = CliTest.run("import", "--tool", "ilastik", "--from", labels.toString(),
        "--data", data.toString(), "--as", "mask");
    assertThat(r.code()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(r.err()).startsWith("lazyseg: error: 2 bad files:")
        .contains(labels.resolve("x.png") + ": no image with id 'x'")
        .contains(labels.resolve("y.png") + ": no image with id 'y'");
    assertThat(data.resolve("masks")).doesNotExist();
  }

  @Test
  void aBadMapOrToolIsAUsageError() throws Exception {
    Path data = data();
    CliTest.Result r = CliTest.run("import", "--tool", "napari", "--from", data.toString(),
        "--data", data.toString(), "--as", "partial", "--map", "0=unlabelled,gland");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().toList()).singleElement().asString()
        .contains("lazyseg import: --map entry 'gland' is not VALUES=MEANING");
    CliTest.Result tool = CliTest.run("import", "--tool", "qupath", "--from", data.toString(),
        "--data", data.toString(), "--as", "partial");
    assertThat(tool.code()).isEqualTo(2);
    assertThat(tool.err()).contains("unknown tool 'qupath' (labkit, ilastik or napari)");
  }
}
