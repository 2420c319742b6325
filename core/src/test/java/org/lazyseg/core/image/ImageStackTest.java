package org.lazyseg.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.lazyseg.core.testing.TestTiffs.IMAGE_DESCRIPTION;
import static org.lazyseg.core.testing.TestTiffs.NEW_SUBFILE_TYPE;
import static org.lazyseg.core.testing.TestTiffs.RESOLUTION_UNIT;
import static org.lazyseg.core.testing.TestTiffs.X_RESOLUTION;
import static org.lazyseg.core.testing.TestTiffs.Y_RESOLUTION;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.ImageFiles.ImageFileException;
import org.lazyseg.core.testing.TestTiffs;

/** Stacks, hyperstacks and OME-TIFFs: their planes, channels, pixel sizes and plane names. */
class ImageStackTest {
  @TempDir Path dir;

  /** The page number (from 1) a plane's channel shows: pages hold 10, 20, 30... */
  private static int pageOf(FloatImage image, int channel) {
    return Math.round(image.get(channel, 1, 1) * 255 / 10f);
  }

  private static List<String> names(ImageStack stack) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < stack.planes(); i++) {
      out.add(stack.planeName(i));
    }
    return out;
  }

  @Test
  void eachPageOfAPlainTiffIsAPlaneAndReducedResolutionPagesAreNot() throws Exception {
    Path file = dir.resolve("pages.tif");
    TestTiffs.write(file, TestTiffs.numbered(5));
    try (ImageStack stack = ImageStack.open(file)) {
      assertThat(stack.planes()).isEqualTo(5);
      assertThat(stack.describe()).isEqualTo("5 pages (TIFF)");
      assertThat(names(stack)).containsExactly("p0001", "p0002", "p0003", "p0004", "p0005");
      for (int i = 0; i < 5; i++) {
        assertThat(pageOf(stack.plane(i), 0)).as("plane " + i).isEqualTo(i + 1);
      }
      assertThat(stack.separateChannels()).isFalse();
      assertThat(stack.pixelSize()).isEmpty();
    }
    // Page 2 a thumbnail of page 1 (NewSubfileType bit 0): not a plane.
    Path thumb = dir.resolve("thumb.tif");
    TestTiffs.write(thumb, TestTiffs.numbered(3), null, Map.of(NEW_SUBFILE_TYPE, "1"));
    try (ImageStack stack = ImageStack.open(thumb)) {
      assertThat(stack.pages()).isEqualTo(3);
      assertThat(stack.planes()).isEqualTo(2);
      assertThat(pageOf(stack.plane(1), 0)).isEqualTo(3);
    }
    // One page: one plane with no name, the image readImage reads.
    Path one = dir.resolve("one.tif");
    TestTiffs.write(one, TestTiffs.numbered(1));
    try (ImageStack stack = ImageStack.open(one)) {
      assertThat(stack.planes()).isEqualTo(1);
      assertThat(stack.planeName(0)).isEmpty();
      assertThat(stack.describe()).isEqualTo("1 plane");
      assertThat(stack.plane(0).data()).containsExactly(ImageFiles.readImage(one).data());
    }
  }

  @Test
  void anImageJHyperstackGivesAPlanePerSliceWithItsChannelsAndItsPixelSize() throws Exception {
    // 2 channels x 3 slices, stored c, z (channel fastest): pages 1..6.
    Path file = dir.resolve("hyper.tif");
    String description = "ImageJ=1.54f\nimages=6\nchannels=2\nslices=3\nhyperstack=true\n"
        + "mode=composite\nunit=micron\nspacing=2.0\nloop=false\n";
    TestTiffs.write(file, TestTiffs.numbered(6), Map.of(IMAGE_DESCRIPTION, description,
        X_RESOLUTION, "4/1", Y_RESOLUTION, "4/1", RESOLUTION_UNIT, "1"));
    try (ImageStack stack = ImageStack.open(file)) {
      assertThat(stack.planes()).isEqualTo(3);
      assertThat(stack.describe()).isEqualTo("3 z planes of 2 channels (ImageJ)");
      assertThat(names(stack)).containsExactly("z0001", "z0002", "z0003");
      FloatImage second = stack.plane(1);
      assertThat(second.channels()).isEqualTo(2);
      assertThat(pageOf(second, 0)).isEqualTo(3);
      assertThat(pageOf(second, 1)).isEqualTo(4);
      FloatImage channel2 = stack.plane(2, 1);
      assertThat(channel2.channels()).isEqualTo(1);
      assertThat(pageOf(channel2, 0)).isEqualTo(6);
      assertThat(stack.separateChannels()).isTrue();
      // 1 / XResolution in the description's unit; spacing= is the z step, not the pixel.
      assertThat(stack.pixelSize()).hasValueSatisfying(s -> {
        assertThat(s.size()).isEqualTo(0.25);
        assertThat(s.unit()).isEqualTo("um");
        assertThat(s).hasToString("0.25 um (ImageJ description)");
      });
      assertThatThrownBy(() -> stack.plane(0, 2)).isInstanceOf(ImageFileException.class)
          .hasMessage(file + ": no channel 3: its planes have 2 channels");
    }
    // Frames and slices: t0001_z0001 ...; ImageJ escapes the micro sign.
    Path movie = dir.resolve("movie.tif");
    TestTiffs.write(movie, TestTiffs.numbered(6), Map.of(IMAGE_DESCRIPTION,
        "ImageJ=1.54f\nimages=6\nslices=2\nframes=3\nhyperstack=true\nunit=\\u00B5m\n",
        X_RESOLUTION, "2/1"));
    try (ImageStack stack = ImageStack.open(movie)) {
      assertThat(names(stack)).containsExactly("t0001_z0001", "t0001_z0002", "t0002_z0001",
          "t0002_z0002", "t0003_z0001", "t0003_z0002");
      assertThat(stack.describe()).isEqualTo("3 t x 2 z planes (ImageJ)");
      assertThat(pageOf(stack.plane(3), 0)).isEqualTo(4);
      assertThat(stack.pixelSize().orElseThrow()).hasToString("0.5 um (ImageJ description)");
    }
    // A plain ImageJ stack says only images=.
    Path plain = dir.resolve("plain.tif");
    TestTiffs.write(plain, TestTiffs.numbered(4), Map.of(IMAGE_DESCRIPTION,
        "ImageJ=1.54f\nimages=4\nloop=false\n"));
    try (ImageStack stack = ImageStack.open(plain)) {
      assertThat(names(stack)).containsExactly("z0001", "z0002", "z0003", "z0004");
      assertThat(stack.separateChannels()).isFalse();
    }
  }

  @Test
  void anImageJDescriptionThatDoesNotMatchThePagesIsNamed() throws Exception {
    Path file = dir.resolve("big.tif");
    TestTiffs.write(file, TestTiffs.numbered(1), Map.of(IMAGE_DESCRIPTION,
        "ImageJ=1.54f\nimages=30\nslices=30\n"));
    assertThatThrownBy(() -> ImageStack.open(file)).isInstanceOf(ImageFileException.class)
        .hasMessage(file + ": its ImageJ description says 30 images (1 channels x 30 slices"
            + " x 1 frames), the file has 1 page: not read (save it again from ImageJ or Fiji"
            + " as TIFF)");
  }

  @Test
  void anOmeTiffGivesAPlanePerZWithItsChannelsInItsDimensionOrder() throws Exception {
    // XYZCT: z fastest, then c: pages z1c1 z2c1 z3c1 z1c2 z2c2 z3c2.
    Path file = dir.resolve("f_ome.ome.tif");
    TestTiffs.write(file, TestTiffs.numbered(6), Map.of(IMAGE_DESCRIPTION,
        TestTiffs.omeXml("XYZCT", 3, 2, 1, "PhysicalSizeX=\"0.65\"", null),
        X_RESOLUTION, "100/1", RESOLUTION_UNIT, "3"));
    try (ImageStack stack = ImageStack.open(file)) {
      assertThat(stack.describe()).isEqualTo("3 z planes of 2 channels (OME-TIFF)");
      assertThat(names(stack)).containsExactly("z0001", "z0002", "z0003");
      FloatImage z2 = stack.plane(1);
      assertThat(pageOf(z2, 0)).isEqualTo(2);
      assertThat(pageOf(z2, 1)).isEqualTo(5);
      assertThat(pageOf(stack.plane(2, 1), 0)).isEqualTo(6);
      // OME-XML wins over the resolution tags; its unit defaults to micrometres.
      assertThat(stack.pixelSize().orElseThrow()).hasToString("0.65 um (OME-XML)");
    }
    assertThat(ImageFiles.id(file)).isEqualTo("f_ome");

    // TiffData placing pages in reverse time order (the specification's fragment 4).
    Path reversed = dir.resolve("reversed.ome.tiff");
    StringBuilder tiffData = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      tiffData.append("<TiffData IFD=\"").append(i).append("\" FirstT=\"").append(2 - i)
          .append("\"/>");
    }
    TestTiffs.write(reversed, TestTiffs.numbered(3), Map.of(IMAGE_DESCRIPTION,
        TestTiffs.omeXml("XYZTC", 1, 1, 3,
            "PhysicalSizeX=\"250\" PhysicalSizeXUnit=\"nm\"", tiffData.toString())));
    try (ImageStack stack = ImageStack.open(reversed)) {
      assertThat(names(stack)).containsExactly("t0001", "t0002", "t0003");
      assertThat(pageOf(stack.plane(0), 0)).isEqualTo(3);
      assertThat(pageOf(stack.plane(2), 0)).isEqualTo(1);
      assertThat(stack.separateChannels()).isFalse();
      assertThat(stack.pixelSize().orElseThrow()).hasToString("250 nm (OME-XML)");
    }
    // Two channels in one page; a plane that no TiffData places; one placed past the end.
    Path missing = dir.resolve("missing.ome.tif");
    TestTiffs.write(missing, TestTiffs.numbered(1), Map.of(IMAGE_DESCRIPTION,
        TestTiffs.omeXml("XYCZT", 1, 2, 1, "", null)));
    assertThatThrownBy(() -> ImageStack.open(missing)).hasMessage(missing
        + ": its OME-XML describes 2 pages (SizeZ 1 x SizeC 2 x SizeT 1), the file has 1");
    TestTiffs.write(missing, TestTiffs.numbered(2), Map.of(IMAGE_DESCRIPTION,
        TestTiffs.omeXml("XYCZT", 1, 2, 1, "", "<TiffData IFD=\"0\"/>")));
    assertThatThrownBy(() -> ImageStack.open(missing))
        .hasMessage(missing + ": its OME-XML puts plane z1 c2 t1 in no page (the file has 2)");
    TestTiffs.write(missing, TestTiffs.numbered(2), Map.of(IMAGE_DESCRIPTION,
        TestTiffs.omeXml("XYCZT", 1, 2, 1, "", "<TiffData IFD=\"1\" PlaneCount=\"2\"/>")));
    assertThatThrownBy(() -> ImageStack.open(missing))
        .hasMessage(missing + ": its OME-XML puts plane z1 c2 t1 in page 3, but the file has 2");
  }

  @Test
  void omeTiffsWeDoNotReadAreNamedWithWhy() throws Exception {
    Path series = dir.resolve("series.ome.tif");
    String one = TestTiffs.omeXml("XYZCT", 1, 1, 1, "", null);
    String image = one.substring(one.indexOf("<Image"), one.indexOf("</OME>"));
    TestTiffs.write(series, TestTiffs.numbered(2), Map.of(IMAGE_DESCRIPTION,
        one.replace("</OME>", image.replace("Image:0", "Image:1") + "</OME>")));
    assertThatThrownBy(() -> ImageStack.open(series)).hasMessage(series
        + ": an OME-TIFF of 2 images (series): LazySeg reads OME-TIFFs of one; save each"
        + " series to a file");
    Path split = dir.resolve("split.ome.tif");
    TestTiffs.write(split, TestTiffs.numbered(1), Map.of(IMAGE_DESCRIPTION,
        TestTiffs.omeXml("XYZCT", 1, 1, 2, "", "<TiffData IFD=\"0\" PlaneCount=\"1\"><UUID"
            + " FileName=\"split.ome.tif\">urn:uuid:1</UUID></TiffData><TiffData FirstT=\"1\""
            + " IFD=\"0\" PlaneCount=\"1\"><UUID FileName=\"other.ome.tif\">urn:uuid:2</UUID>"
            + "</TiffData>")));
    assertThatThrownBy(() -> ImageStack.open(split)).hasMessage(split
        + ": a multi-file OME-TIFF (planes in other.ome.tif): LazySeg reads OME-TIFFs that"
        + " hold all their planes");
    Path past = dir.resolve("past.ome.tif");
    TestTiffs.write(past, TestTiffs.numbered(3), Map.of(IMAGE_DESCRIPTION,
        TestTiffs.omeXml("XYZCT", 1, 1, 3, "", "<TiffData IFD=\"0\" FirstT=\"3\"/>")));
    assertThatThrownBy(() -> ImageStack.open(past))
        .hasMessage(past + ": its OME-XML has a TiffData FirstT=3, past the 3 there are");
    Path broken = dir.resolve("broken.ome.tif");
    TestTiffs.write(broken, TestTiffs.numbered(1), Map.of(IMAGE_DESCRIPTION,
        "<?xml version=\"1.0\"?><OME><Image>"));
    assertThatThrownBy(() -> ImageStack.open(broken))
        .hasMessageStartingWith(broken + ": its OME-XML description is not XML (");
  }

  @Test
  void resolutionTagsGiveAPixelSizeInTheirUnitAndNoneWithoutAUnit() throws Exception {
    Path cm = dir.resolve("cm.tif");
    TestTiffs.write(cm, TestTiffs.numbered(1), Map.of(X_RESOLUTION, "40000/1",
        RESOLUTION_UNIT, "3"));
    try (ImageStack stack = ImageStack.open(cm)) {
      assertThat(stack.pixelSize().orElseThrow()).hasToString("0.000025 cm (TIFF resolution tags)");
    }
    // No ResolutionUnit: inch, the TIFF default.
    Path inch = dir.resolve("inch.tif");
    TestTiffs.write(inch, TestTiffs.numbered(1), Map.of(X_RESOLUTION, "300/1"));
    try (ImageStack stack = ImageStack.open(inch)) {
      assertThat(stack.pixelSize().orElseThrow().size()).isCloseTo(1 / 300.0, within(1e-12));
      assertThat(stack.pixelSize().orElseThrow().unit()).isEqualTo("inch");
    }
    Path none = dir.resolve("none.tif");
    TestTiffs.write(none, TestTiffs.numbered(1), Map.of(X_RESOLUTION, "72/1",
        RESOLUTION_UNIT, "1"));
    try (ImageStack stack = ImageStack.open(none)) {
      assertThat(stack.pixelSize()).isEmpty();
    }
  }

  @Test
  void aStackOfMoreThanEightBitsSharesOneScale() throws Exception {
    // A 12-bit camera's dim plane (largest 1000) and bright one (4000): both / 4095, where
    // each alone would put the dim one on a 10-bit scale, 4 times brighter.
    BufferedImage dim = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    dim.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0, 1000});
    BufferedImage bright = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    bright.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0, 4000});
    Path file = dir.resolve("camera.tif");
    TestTiffs.write(file, new BufferedImage[] {dim, bright});
    try (ImageStack stack = ImageStack.open(file)) {
      assertThat(stack.plane(0).get(0, 1, 0)).isCloseTo(1000 / 4095f, within(1e-6f));
      assertThat(stack.plane(1).get(0, 1, 0)).isCloseTo(4000 / 4095f, within(1e-6f));
    }
    Path alone = dir.resolve("dim.tif");
    ImageFiles.write(dim, alone);
    try (ImageStack stack = ImageStack.open(alone)) {
      assertThat(stack.plane(0).get(0, 1, 0)).isCloseTo(1000 / 1023f, within(1e-6f));
    }
  }

  @Test
  void anImageJFloatStackIsReadByTheJdkReaderWithItsDescription() throws Exception {
    // ImageJ's 32-bit stacks: floats, which the JDK's reader decodes (ImageFiles.decoder).
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
        false, false, Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
    BufferedImage[] pages = new BufferedImage[2];
    for (int i = 0; i < 2; i++) {
      WritableRaster r = cm.createCompatibleWritableRaster(2, 1);
      r.setSamples(0, 0, 2, 1, 0, new float[] {0f, 0.25f * (i + 1)});
      pages[i] = new BufferedImage(cm, r, false, null);
    }
    Path file = dir.resolve("float.tif");
    TestTiffs.write(file, pages, Map.of(IMAGE_DESCRIPTION,
        "ImageJ=1.54f\nimages=2\nframes=2\nunit=micron\n", X_RESOLUTION, "10/1"));
    try (ImageStack stack = ImageStack.open(file)) {
      assertThat(names(stack)).containsExactly("t0001", "t0002");
      assertThat(stack.plane(1).get(0, 1, 0)).isEqualTo(0.5f);
      assertThat(stack.pixelSize().orElseThrow()).hasToString("0.1 um (ImageJ description)");
    }
  }

  @Test
  void aPngIsOnePlaneWhoseColoursAreChannels() throws Exception {
    BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(1, 1, 0x336699);
    Path png = dir.resolve("a.png");
    ImageIO.write(rgb, "png", png.toFile());
    try (ImageStack stack = ImageStack.open(png)) {
      assertThat(stack.planes()).isEqualTo(1);
      assertThat(stack.planeName(0)).isEmpty();
      assertThat(stack.plane(0).channels()).isEqualTo(3);
      assertThat(stack.plane(0, 1).get(0, 1, 1)).isCloseTo(0x66 / 255f, within(1e-6f));
      assertThat(stack.separateChannels()).isFalse();
      assertThatThrownBy(() -> stack.plane(0, 3))
          .hasMessage(png + ": no channel 4: its planes have 3 channels");
    }
    assertThatThrownBy(() -> ImageStack.open(dir.resolve("none.png")))
        .isInstanceOf(ImageFileException.class).hasMessage(dir.resolve("none.png") + ": no such file");
  }

  @Test
  void idsDropTheOmeOfAnOmeTiffOnly() {
    assertThat(ImageFiles.id(Path.of("d/f_ome.ome.tif"))).isEqualTo("f_ome");
    assertThat(ImageFiles.id(Path.of("a.OME.TIFF"))).isEqualTo("a");
    assertThat(ImageFiles.id(Path.of("a.ome.png"))).isEqualTo("a.ome");
    assertThat(ImageFiles.id(Path.of(".ome.tif"))).isEqualTo(".ome");
    assertThat(ImageFiles.id(Path.of("x.y.tif"))).isEqualTo("x.y");
  }
}
