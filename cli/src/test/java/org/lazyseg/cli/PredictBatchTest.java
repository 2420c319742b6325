package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.PixelSizes;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.ObjectsCsv;

/**
 * {@code predict} on a folder as users have them: PNG, JPEG and a broken TIFF; reruns that do
 * only what is missing; 16-bit instances, overlays and the per-object table.
 */
class PredictBatchTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  static Path run;
  static Path data;

  @BeforeAll
  static void trainATinyModel() throws Exception {
    data = shared.resolve("data");
    Discs.write(data, 6, 3, 5);
    run = shared.resolve("run");
    Discs.trainTiny(data, run, 3, 3, 2);
  }

  /** A folder with a PNG, the same picture as a JPEG, and a TIFF cut in half. */
  private Path folder() throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Files.copy(data.resolve("images/im4.png"), in.resolve("a.png"));
    BufferedImage picture = ImageIO.read(data.resolve("images/im5.png").toFile());
    assertThat(ImageIO.write(picture, "jpg", in.resolve("b.jpg").toFile())).isTrue();
    Path tif = dir.resolve("whole.tif");
    ImageFiles.write(picture, tif);
    byte[] bytes = Files.readAllBytes(tif);
    Files.write(in.resolve("c.tif"), Arrays.copyOf(bytes, bytes.length / 2));
    return in;
  }

  private static CliTest.Result predict(Path in, Path out, String... more) {
    return CliTest.predict(run, in, out, more);
  }

  @Test
  void aBrokenFileIsNamedAndSkippedTheRestSegmentedAndARerunDoesOnlyWhatIsMissing()
      throws Exception {
    Path in = folder();
    Path out = dir.resolve("out");
    CliTest.Result first = predict(in, out, "--instances", "--overlays");
    assertThat(first.code()).as(first.err()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(first.err().lines().filter(l -> l.contains("c.tif")).toList())
        .singleElement().asString()
        .contains("failed: " + in.resolve("c.tif") + ": unreadable image (truncated");
    assertThat(first.err()).contains("[1/3] a  48 x 48").contains("[2/3] b  48 x 48")
        .contains("lazyseg: 2 images segmented, 1 failed (named above), in ");
    for (String id : List.of("a", "b")) {
      assertThat(out.resolve(id + ".png")).exists();
      assertThat(out.resolve("instances/" + id + ".png")).exists();
      assertThat(out.resolve("overlays/" + id + ".png")).exists();
    }
    assertThat(out.resolve("c.png")).doesNotExist();
    try (var files = Files.walk(out)) {
      assertThat(files.filter(f -> f.toString().endsWith(".tmp")).toList()).isEmpty();
    }

    // The same command again: a and b are done, c fails again.
    long stamp = Files.getLastModifiedTime(out.resolve("a.png")).toMillis();
    CliTest.Result second = predict(in, out, "--instances", "--overlays");
    assertThat(second.code()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(second.err()).contains("[1/3] a  done before, skipped")
        .contains("[2/3] b  done before, skipped")
        .contains("lazyseg: 0 images segmented, 2 done before and skipped (--overwrite redoes them), 1 failed");
    assertThat(Files.getLastModifiedTime(out.resolve("a.png")).toMillis()).isEqualTo(stamp);

    // An output missing (a kill before it was written): only that image is segmented again.
    Files.delete(out.resolve("overlays/b.png"));
    Files.delete(in.resolve("c.tif"));
    CliTest.Result third = predict(in, out, "--instances", "--overlays");
    assertThat(third.code()).as(third.err()).isZero();
    assertThat(third.err()).contains("[1/2] a  done before, skipped").contains("[2/2] b  48 x 48")
        .contains("lazyseg: 1 image segmented, 1 done before and skipped");
    assertThat(out.resolve("overlays/b.png")).exists();

    CliTest.Result again = predict(in, out, "--instances", "--overwrite");
    assertThat(again.code()).isZero();
    assertThat(again.err()).contains("lazyseg: 2 images segmented, in ").doesNotContain("done before");
  }

  @Test
  void instanceImagesAreSixteenBitEvenWithTwoObjects() throws Exception {
    Path out = dir.resolve("out");
    CliTest.Result r = predict(data, out, "--instances");
    assertThat(r.code()).as(r.err()).isZero();
    for (String id : List.of("im4", "im5")) {
      BufferedImage ids = ImageIO.read(out.resolve("instances/" + id + ".png").toFile());
      assertThat(ids.getRaster().getSampleModel().getSampleSize(0)).isEqualTo(16);
      assertThat(ImageFiles.readLabels(out.resolve("instances/" + id + ".png")).max())
          .isLessThan(256);
      // class maps of one class stay 8-bit
      BufferedImage classes = ImageIO.read(out.resolve(id + ".png").toFile());
      assertThat(classes.getRaster().getSampleModel().getSampleSize(0)).isEqualTo(8);
    }
  }

  @Test
  void measureWritesARowPerObjectOfTheInstanceImagesAndAKilledRunLosesNone() throws Exception {
    Path out = dir.resolve("out");
    CliTest.Result r = predict(data, out, "--instances", "--measure");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(out.resolve("objects.csv"));
    assertThat(lines.get(0)).isEqualTo(String.join(",", ObjectsCsv.COLUMNS));
    ObjectsCsv csv = new ObjectsCsv(List.of("foreground"), null);
    List<List<String>> rows = csv.read(out.resolve("objects.csv"));
    // Each row is an object of its image's instance image, with its area and centroid.
    int objects = 0;
    for (String id : List.of("im4", "im5")) {
      LabelImage ids = ImageFiles.readLabels(out.resolve("instances/" + id + ".png"));
      Map<Integer, long[]> sums = new HashMap<>();
      for (int y = 0; y < ids.height(); y++) {
        for (int x = 0; x < ids.width(); x++) {
          if (ids.get(x, y) > 0) {
            long[] s = sums.computeIfAbsent(ids.get(x, y), k -> new long[3]);
            s[0]++;
            s[1] += x;
            s[2] += y;
          }
        }
      }
      List<List<String>> mine = rows.stream().filter(row -> row.get(0).equals(id)).toList();
      assertThat(mine).as(id).hasSize(sums.size());
      for (List<String> row : mine) {
        long[] s = sums.get(Integer.parseInt(row.get(1)));
        assertThat(row.get(2)).isEqualTo("foreground");
        assertThat(Long.parseLong(row.get(3))).isEqualTo(s[0]);
        assertThat(Double.parseDouble(row.get(5))).isCloseTo((double) s[1] / s[0],
            org.assertj.core.data.Offset.offset(1e-5));
        assertThat(Double.parseDouble(row.get(6))).isCloseTo((double) s[2] / s[0],
            org.assertj.core.data.Offset.offset(1e-5));
      }
      objects += sums.size();
    }
    assertThat(objects).as("the discs are found").isPositive();
    assertThat(r.err()).contains("lazyseg: " + objects + " objects of 2 images -> ");

    // Killed after im4: objects.csv and im5's outputs never written. The rerun does im5 only
    // and objects.csv has every row again.
    Files.delete(out.resolve("objects.csv"));
    Files.delete(out.resolve("objects/im5.csv"));
    CliTest.Result rerun = predict(data, out, "--instances", "--measure");
    assertThat(rerun.code()).as(rerun.err()).isZero();
    assertThat(rerun.err()).contains("im4  done before, skipped").contains("[2/2] im5  48 x 48");
    assertThat(csv.read(out.resolve("objects.csv"))).isEqualTo(rows);
  }

  @Test
  void roisHoldAnImageJRoiPerInstanceAndCountInTheRerunCheck() throws Exception {
    Path out = dir.resolve("out");
    CliTest.Result r = predict(data, out, "--instances", "--rois");
    assertThat(r.code()).as(r.err()).isZero();
    int objects = 0;
    for (String id : List.of("im4", "im5")) {
      LabelImage ids = ImageFiles.readLabels(out.resolve("instances/" + id + ".png"));
      Map<Integer, java.util.Set<Integer>> pixels = new java.util.TreeMap<>();
      for (int i = 0; i < ids.data().length; i++) {
        if (ids.data()[i] > 0) {
          pixels.computeIfAbsent(ids.data()[i], k -> new java.util.TreeSet<>()).add(i);
        }
      }
      Map<String, ij.gui.Roi> rois = org.lazyseg.fiji.RoiSetsTest.read(out.resolve("rois/" + id + ".zip"));
      assertThat(rois.values()).extracting(ij.gui.Roi::getName).as(id).containsExactlyElementsOf(
          pixels.keySet().stream().map(k -> k + "-foreground").toList());
      int k = 0;
      for (ij.gui.Roi roi : rois.values()) {
        java.util.Set<Integer> object = pixels.get(pixels.keySet().stream().toList().get(k++));
        java.util.Set<Integer> filled = org.lazyseg.fiji.RoiSetsTest.filled(roi, ids.width());
        java.util.Set<Integer> common = new java.util.TreeSet<>(filled);
        common.retainAll(object);
        // On its object (RoiSetsTest checks the pixels exactly; this barely trained model's
        // objects may have holes and pieces, which the outer outline fills and leaves out).
        assertThat(filled).as(roi.getName()).isNotEmpty();
        assertThat(common.size()).as(roi.getName()).isGreaterThanOrEqualTo(object.size() / 2);
        java.awt.Rectangle box = roi.getBounds();
        for (int i : object) {
          box.add(new java.awt.Rectangle(i % ids.width(), i / ids.width(), 1, 1));
        }
        assertThat(box).as(roi.getName() + " lies in its object's box")
            .isEqualTo(boundingBox(object, ids.width()));
      }
      objects += rois.size();
    }
    assertThat(objects).as("the discs are found").isPositive();

    // Killed before im5's ROIs were written: only im5 is segmented again.
    Files.delete(out.resolve("rois/im5.zip"));
    CliTest.Result rerun = predict(data, out, "--instances", "--rois");
    assertThat(rerun.code()).as(rerun.err()).isZero();
    assertThat(rerun.err()).contains("[1/2] im4  done before, skipped").contains("[2/2] im5  48 x 48");
    assertThat(out.resolve("rois/im5.zip")).exists();
  }

  private static java.awt.Rectangle boundingBox(java.util.Set<Integer> pixels, int width) {
    java.awt.Rectangle box = null;
    for (int i : pixels) {
      java.awt.Rectangle pixel = new java.awt.Rectangle(i % width, i / width, 1, 1);
      box = box == null ? pixel : box.union(pixel);
    }
    return box;
  }

  @Test
  void aPixelSizeFileAddsSizesInItsUnitAndRedoesTablesWithoutThem() throws Exception {
    Path out = dir.resolve("out");
    Path copy = dir.resolve("data");
    Discs.write(copy, 6, 3, 5);   // the same dataset again
    assertThat(predict(copy, out, "--measure").code()).isZero();
    Files.writeString(copy.resolve(PixelSizes.FILE), "id,pixel_size_um\nim4,0.5\nim5,2\n");
    CliTest.Result r = predict(copy, out, "--measure");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("pixel sizes from " + copy.resolve(PixelSizes.FILE))
        .as("tables without unit columns are redone").contains("[1/2] im4  48 x 48");
    ObjectsCsv csv = new ObjectsCsv(List.of("foreground"), PixelSizes.read(copy.resolve(PixelSizes.FILE)));
    assertThat(Files.readAllLines(out.resolve("objects.csv")).get(0))
        .isEqualTo(String.join(",", csv.header())).contains("area_units,perimeter_units");
    List<String> header = csv.header();
    for (List<String> row : csv.read(out.resolve("objects.csv"))) {
      double size = row.get(0).equals("im4") ? 0.5 : 2;
      assertThat(row.get(header.indexOf("unit"))).isEqualTo("um");
      assertThat(Double.parseDouble(row.get(header.indexOf("area_units"))))
          .isCloseTo(Long.parseLong(row.get(header.indexOf("area"))) * size * size,
              org.assertj.core.data.Offset.offset(1e-6));
    }
  }
}
