package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.PixelSizes;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.measure.ObjectsCsv;
import org.lazyseg.core.testing.TestTiffs;

/**
 * {@code predict} on stacks and OME-TIFFs (issue 25): a plane per output, named by its z;
 * {@code --plane}; channels that must fit the model or be picked with {@code --channel}; the
 * file's own pixel size for {@code --measure}; and {@code train} saying that it uses a
 * stack's first plane.
 */
class PredictStacksTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  static Path run;
  static Path data;
  static String trainLog;

  @BeforeAll
  static void trainATinyModelOnADatasetWithAStack() throws Exception {
    data = shared.resolve("data");
    Discs.write(data, 6, 3, 5);
    // im0 as a TIFF of two pages (im0, im1): a dataset image is its first page.
    Path im0 = data.resolve("images/im0.png");
    TestTiffs.write(data.resolve("images/im0.tif"), new BufferedImage[] {page("im0"), page("im1")});
    Files.delete(im0);
    run = shared.resolve("run");
    trainLog = Discs.trainTiny(data, run, 3, 3, 2).err();
  }

  private static BufferedImage page(String id) throws Exception {
    return ImageIO.read(data.resolve("images/" + id + ".png").toFile());
  }

  private static CliTest.Result predict(Path in, Path out, String... more) {
    return CliTest.predict(run, in, out, more);
  }

  /** The class ids predict gives {@code id}'s PNG alone, the answer each plane must give. */
  private int[] alone(String id) throws Exception {
    Path in = dir.resolve("alone-" + id);
    Files.createDirectories(in);
    Files.copy(data.resolve("images/" + id + ".png"), in.resolve(id + ".png"));
    Path out = dir.resolve("alone-out-" + id);
    CliTest.Result r = predict(in, out);
    assertThat(r.code()).as(r.err()).isZero();
    return ImageFiles.readLabels(out.resolve(id + ".png")).data();
  }

  private static int[] classes(Path file) {
    return ImageFiles.readLabels(file).data();
  }

  @Test
  void trainSaysItUsesTheFirstPageOfAStack() {
    assertThat(trainLog).contains("lazyseg: " + data.resolve("images/im0.tif") + ": 2 pages"
        + " (TIFF); a dataset image is one plane: only the first (plane 1 of 2) is used");
  }

  @Test
  void aThreePlaneStackGivesThreeOutputsEachAsItsPlaneAloneAndPlaneTakesOne() throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    TestTiffs.write(in.resolve("st.tif"), new BufferedImage[] {page("im4"), page("im5"),
        page("im3")}, Map.of(TestTiffs.IMAGE_DESCRIPTION,
        "ImageJ=1.54f\nimages=3\nslices=3\nunit=micron\nspacing=2.0\n"));
    Path out = dir.resolve("out");
    CliTest.Result r = predict(in, out);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("[1/1] st  3 z planes (ImageJ): all taken")
        .contains("[1/1] st_z0001  48 x 48").contains("[1/1] st_z0003  48 x 48")
        .contains("lazyseg: 3 images segmented (3 of them planes of 1 stack), in ");
    try (var files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".png")))
          .containsExactlyInAnyOrder("st_z0001.png", "st_z0002.png", "st_z0003.png");
    }
    assertThat(classes(out.resolve("st_z0001.png"))).isEqualTo(alone("im4"));
    assertThat(classes(out.resolve("st_z0002.png"))).isEqualTo(alone("im5"));
    assertThat(classes(out.resolve("st_z0003.png"))).isEqualTo(alone("im3"));

    CliTest.Result again = predict(in, out);
    assertThat(again.err()).contains("[1/1] st_z0002  done before, skipped")
        .contains("lazyseg: 0 images segmented, 3 done before and skipped");

    Path one = dir.resolve("one");
    CliTest.Result second = predict(in, one, "--plane", "2");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.err()).contains("[1/1] st  3 z planes (ImageJ): plane 2 taken (--plane)")
        .contains("lazyseg: 1 image segmented (1 of them planes of 1 stack), in ");
    assertThat(one.resolve("st_z0002.png")).exists();
    assertThat(one.resolve("st_z0001.png")).doesNotExist();

    CliTest.Result past = predict(in, dir.resolve("past"), "--plane", "4");
    assertThat(past.code()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(past.err()).contains("[1/1] st  failed: " + in.resolve("st.tif")
        + ": 3 z planes (ImageJ), no plane 4 (--plane)");
    CliTest.Result zero = predict(in, dir.resolve("zero"), "--plane", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err().strip()).contains("--plane counts from 1, not 0").doesNotContain("\n");
  }

  /** A 2-channel OME-TIFF: channel 1 is im4, channel 2 im5; pixels of 0.5 um. */
  private Path omeFolder() throws Exception {
    Path in = dir.resolve("ome");
    Files.createDirectories(in);
    String xml = TestTiffs.omeXml("XYCZT", 1, 2, 1, "PhysicalSizeX=\"0.5\"", null)
        .replace("SizeX=\"8\" SizeY=\"6\"", "SizeX=\"48\" SizeY=\"48\"");
    TestTiffs.write(in.resolve("f_ome.ome.tif"), new BufferedImage[] {page("im4"), page("im5")},
        Map.of(TestTiffs.IMAGE_DESCRIPTION, xml));
    return in;
  }

  @Test
  void channelsThatDoNotFitTheModelAreNamedAndChannelTakesOne() throws Exception {
    Path in = omeFolder();
    Path tif = in.resolve("f_ome.ome.tif");
    CliTest.Result both = predict(in, dir.resolve("both"));
    assertThat(both.code()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(both.err().lines().filter(l -> l.contains("f_ome  failed")).toList()).containsExactly(
        "[1/1] f_ome  failed: " + tif + ": 2 channels, the model takes 1 (separate channels"
            + " are not averaged): choose one with --channel K");

    Path out = dir.resolve("second");
    CliTest.Result second = predict(in, out, "--channel", "2");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.err()).contains("[1/1] f_ome  48 x 48");
    assertThat(classes(out.resolve("f_ome.png"))).as("no .ome in the id").isEqualTo(alone("im5"));

    CliTest.Result third = predict(in, dir.resolve("third"), "--channel", "3");
    assertThat(third.code()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(third.err()).contains("[1/1] f_ome  failed: " + tif
        + ": no channel 3: its planes have 2 channels");
  }

  @Test
  void measureUsesTheFilesPixelSizeUnlessPixelSizeCsvGivesOne() throws Exception {
    Path in = omeFolder();
    Path out = dir.resolve("out");
    CliTest.Result r = predict(in, out, "--channel", "1", "--measure");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("[1/1] f_ome  48 x 48").contains("pixel 0.5 um (OME-XML)");
    ObjectsCsv csv = new ObjectsCsv(List.of("foreground"), true);
    List<String> header = csv.header();
    List<List<String>> rows = csv.read(out.resolve("objects.csv"));
    assertThat(rows).isNotEmpty().allSatisfy(row -> {
      assertThat(row.get(header.indexOf("pixel_size"))).isEqualTo("0.5");
      assertThat(row.get(header.indexOf("unit"))).isEqualTo("um");
      assertThat(Double.parseDouble(row.get(header.indexOf("area_units"))))
          .isEqualTo(Long.parseLong(row.get(header.indexOf("area"))) * 0.25);
    });

    Files.writeString(in.resolve(PixelSizes.FILE), "id,pixel_size_mm\nf_ome,0.002\n");
    CliTest.Result listed = predict(in, out, "--channel", "1", "--measure", "--overwrite");
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.err())
        .contains("pixel 0.002 mm (pixel_size.csv, not the file's 0.5 um from OME-XML)");
    assertThat(csv.read(out.resolve("objects.csv")))
        .allSatisfy(row -> assertThat(row.get(header.indexOf("unit"))).isEqualTo("mm"));
  }
}
