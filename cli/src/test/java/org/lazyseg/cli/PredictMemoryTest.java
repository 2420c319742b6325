package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;

/**
 * {@code predict} in a JVM of its own with a heap far smaller than the image's probability
 * planes: a 3000 x 3000 grey image needs 36 MB per float plane; decoding band by band keeps
 * the image (36 MB), the class and instance images (36 MB each) and the 16-bit instance PNG
 * being written (18 MB) beside a band of tile rows, so it fits in 192 MB, where the whole-plane
 * decoding (two probability planes, their weights, and copies of the id images for the least
 * object area) ran out of memory. With a heap too small even for that, one line and exit 3.
 */
class PredictMemoryTest {
  @TempDir static Path dir;
  static Path run;
  static Path big;

  @BeforeAll
  static void aTinyModelAndALargeImage() throws Exception {
    Path data = dir.resolve("data");
    Discs.write(data, 4, 7, 5);
    run = dir.resolve("run");
    Discs.trainTiny(data, run, 2, 2, 1);
    // Discs on a 40-pixel grid (about 5600 objects), noise between.
    int n = 3000;
    FloatImage image = new FloatImage(n, n, 1);
    java.util.Random rnd = new java.util.Random(1);
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        int dx = x % 40 - 20, dy = y % 40 - 20;
        image.set(0, x, y, (dx * dx + dy * dy < 150 ? 0.7f : 0.2f) + 0.1f * rnd.nextFloat());
      }
    }
    big = dir.resolve("big.png");
    ImageFiles.writeImage(image, big, false);
  }

  /** lazyseg predict in a new JVM with heap {@code xmx}. */
  private static Process predict(String xmx, Path out) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx,
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        LazySeg.class.getName(), "predict", "--model", run.toString(), "--input",
        big.toString(), "--out", out.toString(), "--instances", "--threads", "1",
        "--tile", "256"));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile()).start();
  }

  private static String finish(Process p, Path out) throws Exception {
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("predict finishes").isTrue();
    return Files.readString(out.resolveSibling(out.getFileName() + ".log"));
  }

  @Test
  void aLargeImageIsSegmentedWithAHeapSmallerThanItsProbabilityPlanes() throws Exception {
    Path out = dir.resolve("out");
    Process p = predict("192m", out);
    String log = finish(p, out);
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(log).contains("[1/1] big  3000 x 3000");
    for (Path written : List.of(out.resolve("big.png"), out.resolve("instances/big.png"))) {
      try (ImageInputStream in = ImageIO.createImageInputStream(written.toFile())) {
        ImageReader reader = ImageIO.getImageReaders(in).next();
        reader.setInput(in);
        assertThat(reader.getWidth(0)).isEqualTo(3000);
        assertThat(reader.getHeight(0)).isEqualTo(3000);
        reader.dispose();
      }
    }
  }

  @Test
  void aHeapTooSmallEvenForTheOutputsIsOneLineAndExitCode3() throws Exception {
    Path out = dir.resolve("small");
    Process p = predict("48m", out);
    String log = finish(p, out);
    assertThat(p.exitValue()).as(log).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(log.lines().filter(l -> l.startsWith("lazyseg: error:")).toList()).singleElement()
        .asString().contains("out of memory: the Java heap (48.0 MiB) is full")
        .contains("a smaller --tile").contains("LAZYSEG_JAVA_OPTS=-Xmx");
    assertThat(log).doesNotContain("\tat ").doesNotContain("Exception");
  }
}
