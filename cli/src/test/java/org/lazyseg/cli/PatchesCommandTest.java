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

class PatchesCommandTest {
  @TempDir Path dir;

  @Test
  void writesATaggedPatchDatasetAndSaysWhatItWrote() throws Exception {
    ImageFiles.writeImage(new FloatImage(40, 20, 1), dir.resolve("src/images/a.png"), false);
    LabelImage mask = new LabelImage(40, 20);
    mask.set(3, 3, 1);
    ImageFiles.writeLabels(mask, dir.resolve("src/masks/a.png"));
    CliTest.Result r = CliTest.run("patches", "--from", dir.resolve("src").toString(),
        "--out", dir.resolve("out").toString(), "--size", "20");
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("1 positive and 1 negative patches");
    assertThat(Files.readString(dir.resolve("out/tags.csv")))
        .isEqualTo("id,foreground\na_0_0,1\na_20_0,0\n");
    assertThat(Dataset.open(dir.resolve("out")).samples()).hasSize(2);
  }

  @Test
  void badSizeIsAUsageError() {
    CliTest.Result r = CliTest.run("patches", "--from", dir.toString(), "--out",
        dir.resolve("out").toString(), "--size", "0");
    assertThat(r.code()).isEqualTo(2);
  }
}
