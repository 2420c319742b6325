package org.lazyseg.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.ImageFiles.ImageFileException;

/** The image kinds we read, the one-line reasons of the ones we cannot, and instance images. */
class ImageFilesTest {
  @TempDir Path dir;

  /**
   * Atomic writes leave files with the permissions of any new file (the umask's), as the
   * plain writes beside them: not owner-only, as a temporary file of the JDK would be.
   */
  @Test
  void atomicallyWrittenFilesGetTheSamePermissionsAsAnyNewFile() throws IOException {
    Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    Path text = dir.resolve("text.txt");
    ImageFiles.writeText(text, "x");
    Path png = dir.resolve("labels.png");
    ImageFiles.writeLabels(new LabelImage(3, 2), png);
    Path tif = dir.resolve("grey.tif");
    ImageFiles.write(new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY), tif);
    for (Path f : List.of(text, png, tif)) {
      assertThat(Files.getPosixFilePermissions(f)).as(f.toString())
          .isEqualTo(Files.getPosixFilePermissions(plain));
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left")
          .containsExactlyInAnyOrder("plain.txt", "text.txt", "labels.png", "grey.tif");
    }
  }

  @Test
  void everyExtensionWeReadIsAnImageFileInAnyCase() {
    for (String name : new String[] {"a.png", "b.TIF", "c.tiff", "d.jpg", "e.JPEG"}) {
      assertThat(ImageFiles.isImageFile(Path.of(name))).as(name).isTrue();
    }
    for (String name : new String[] {"a.csv", "png", ".png.tmp", "b.bmp"}) {
      assertThat(ImageFiles.isImageFile(Path.of(name))).as(name).isFalse();
    }
  }

  @Test
  void readsAJpegAsRgb() throws Exception {
    BufferedImage rgb = new BufferedImage(8, 6, BufferedImage.TYPE_3BYTE_BGR);
    rgb.setRGB(2, 3, 0xFF0000);
    Path jpg = dir.resolve("a.jpg");
    assertThat(ImageIO.write(rgb, "jpg", jpg.toFile())).isTrue();
    FloatImage image = ImageFiles.readImage(jpg);
    assertThat(image.width()).isEqualTo(8);
    assertThat(image.height()).isEqualTo(6);
    assertThat(image.channels()).isEqualTo(3);
  }

  @Test
  void aTruncatedTiffIsOneLineNamingTheFileAndTheReason() throws Exception {
    Path good = dir.resolve("good.tif");
    FloatImage image = new FloatImage(64, 64, 1);
    Arrays.fill(image.data(), 0.5f);
    ImageFiles.writeImage(image, good, true);
    Path bad = dir.resolve("bad.tif");
    byte[] bytes = Files.readAllBytes(good);
    Files.write(bad, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> ImageFiles.readImage(bad))
        .isInstanceOf(ImageFileException.class)
        .satisfies(e -> assertThat(e.getMessage())
            .startsWith(bad + ": unreadable image (truncated").doesNotContain("\n"));
    // Cut before its image directory: no image at all.
    Path header = dir.resolve("header.tif");
    Files.write(header, Arrays.copyOf(bytes, 20));
    assertThatThrownBy(() -> ImageFiles.readImage(header))
        .hasMessageStartingWith(header + ": unreadable image (truncated or damaged");
  }

  @Test
  void instancesAreSixteenBitPngsEvenWithTwoObjects() throws Exception {
    LabelImage ids = new LabelImage(4, 2, new int[] {0, 1, 1, 0, 2, 2, 0, 0});
    Path file = ImageFiles.writeInstances(ids, dir, "a");
    assertThat(file).isEqualTo(dir.resolve("a.png"));
    Raster r = ImageIO.read(file.toFile()).getRaster();
    assertThat(r.getSampleModel().getSampleSize(0)).isEqualTo(16);
    assertThat(ImageFiles.readLabels(file).data()).containsExactly(ids.data());
    // Class maps of fewer than 256 classes stay 8-bit.
    ImageFiles.writeLabels(ids, dir.resolve("classes.png"));
    assertThat(ImageIO.read(dir.resolve("classes.png").toFile()).getRaster().getSampleModel()
        .getSampleSize(0)).isEqualTo(8);
  }

  @Test
  void moreInstancesThanAPngHoldsGoToA32BitTiffThatReadsBack() throws Exception {
    int w = 300, h = 240;
    LabelImage ids = new LabelImage(w, h);
    for (int i = 0; i < w * h; i++) {
      ids.data()[i] = i + 1;   // 72000 objects of one pixel
    }
    Files.writeString(dir.resolve("a.png"), "stale");
    Path file = ImageFiles.writeInstances(ids, dir, "a");
    assertThat(file).isEqualTo(dir.resolve("a.tif"));
    assertThat(dir.resolve("a.png")).as("the stale PNG goes").doesNotExist();
    assertThat(ImageIO.read(file.toFile()).getRaster().getSampleModel().getSampleSize(0))
        .isEqualTo(32);
    assertThat(ImageFiles.readLabels(file).data()).containsExactly(ids.data());
    // And back under 65536 objects: the PNG again, the TIFF goes.
    ImageFiles.writeInstances(new LabelImage(w, h), dir, "a");
    assertThat(dir.resolve("a.png")).exists();
    assertThat(dir.resolve("a.tif")).doesNotExist();
  }

  // ---- what pixels mean ----------------------------------------------------------------------

  /** A 4 x 2 palette image: indices 0..3 of a palette of black, red, green and blue. */
  private static BufferedImage paletteImage(byte[] r, byte[] g, byte[] b) {
    BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(8, r.length, r, g, b));
    img.getRaster().setSamples(0, 0, 4, 2, 0, new int[] {0, 1, 2, 3, 3, 2, 1, 0});
    return img;
  }

  @Test
  void aPaletteImageReadsAsItsColoursAndAsItsIndicesForLabels() {
    for (String ext : new String[] {"png", "tif"}) {
      Path file = dir.resolve("palette." + ext);
      ImageFiles.write(paletteImage(new byte[] {0, (byte) 255, 0, 0}, new byte[] {0, 0, (byte) 255, 0},
          new byte[] {0, 0, 0, (byte) 255}), file);
      FloatImage image = ImageFiles.readImage(file);
      assertThat(image.channels()).as(ext).isEqualTo(3);
      // Pixel 1 is red, pixel 2 green, pixel 3 blue.
      assertThat(new float[] {image.get(0, 1, 0), image.get(1, 1, 0), image.get(2, 1, 0)}).as(ext)
          .containsExactly(1f, 0f, 0f);
      assertThat(new float[] {image.get(0, 2, 0), image.get(1, 2, 0), image.get(2, 2, 0)}).as(ext)
          .containsExactly(0f, 1f, 0f);
      assertThat(new float[] {image.get(0, 3, 0), image.get(1, 3, 0), image.get(2, 3, 0)}).as(ext)
          .containsExactly(0f, 0f, 1f);
      assertThat(ImageFiles.readLabels(file).data()).as(ext).containsExactly(0, 1, 2, 3, 3, 2, 1, 0);
    }
    // A palette of greys gives one channel, of the greys' values.
    Path grey = dir.resolve("grey-palette.png");
    byte[] levels = {0, 51, (byte) 102, (byte) 255};
    ImageFiles.write(paletteImage(levels, levels, levels), grey);
    FloatImage image = ImageFiles.readImage(grey);
    assertThat(image.channels()).isEqualTo(1);
    assertThat(Arrays.copyOf(image.data(), 4)).containsExactly(new float[] {0f, 0.2f, 0.4f, 1f},
        within(1e-6f));
  }

  @Test
  void oneBitImagesReadAsZeroAndOneAndTwoBitsInThirds() throws Exception {
    BufferedImage bilevel = new BufferedImage(9, 2, BufferedImage.TYPE_BYTE_BINARY);
    bilevel.getRaster().setSample(3, 1, 0, 1);
    for (String ext : new String[] {"png", "tif"}) {
      Path file = dir.resolve("bilevel." + ext);
      ImageFiles.write(bilevel, file);
      assertThat(ImageFiles.readRaster(file).getSampleModel().getSampleSize(0)).as(ext).isEqualTo(1);
      FloatImage image = ImageFiles.readImage(file);
      assertThat(image.channels()).isEqualTo(1);
      assertThat(image.get(0, 3, 1)).as(ext).isEqualTo(1f);
      assertThat(image.data()).as(ext).containsOnly(0f, 1f);
      assertThat(ImageFiles.readLabels(file).get(3, 1)).as(ext).isEqualTo(1);
    }
    BufferedImage twoBits = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY,
        new IndexColorModel(2, 4, new byte[] {0, 85, (byte) 170, (byte) 255},
            new byte[] {0, 85, (byte) 170, (byte) 255}, new byte[] {0, 85, (byte) 170, (byte) 255}));
    twoBits.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 1, 2, 3});
    Path file = dir.resolve("two-bits.png");
    ImageIO.write(twoBits, "png", file.toFile());
    assertThat(ImageFiles.readImage(file).data())
        .containsExactly(new float[] {0f, 1 / 3f, 2 / 3f, 1f}, within(1e-6f));
    assertThat(ImageFiles.readLabels(file).data()).containsExactly(0, 1, 2, 3);
  }

  private static BufferedImage sixteenBit(int... values) {
    BufferedImage img = new BufferedImage(values.length, 1, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSamples(0, 0, values.length, 1, 0, values);
    return img;
  }

  @Test
  void sixteenBitImagesAreScaledByTheirEffectiveBitDepth() {
    // A 12-bit camera's values in a 16-bit TIFF: / 4095, not / 65535.
    Path camera = dir.resolve("camera.tif");
    ImageFiles.write(sixteenBit(0, 100, 2048, 4080), camera);
    assertThat(ImageFiles.readImage(camera).data()).containsExactly(
        new float[] {0f, 100 / 4095f, 2048 / 4095f, 4080 / 4095f}, within(1e-6f));
    // Values of the full 16 bits: / 65535 as before; at most 1023: 10 bits.
    Path full = dir.resolve("full.png");
    ImageFiles.write(sixteenBit(0, 40000, 65535), full);
    assertThat(ImageFiles.readImage(full).data())
        .containsExactly(new float[] {0f, 40000 / 65535f, 1f}, within(1e-6f));
    Path tenBits = dir.resolve("ten.png");
    ImageFiles.write(sixteenBit(1, 1000), tenBits);
    assertThat(ImageFiles.readImage(tenBits).data())
        .containsExactly(new float[] {1 / 1023f, 1000 / 1023f}, within(1e-6f));
    // Signed 16-bit samples with negative values: min..max mapped to 0..1.
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
        false, false, Transparency.OPAQUE, DataBuffer.TYPE_SHORT);
    WritableRaster signed = cm.createCompatibleWritableRaster(3, 1);
    signed.setSamples(0, 0, 3, 1, 0, new int[] {-100, 0, 300});
    Path signedFile = dir.resolve("signed.tif");
    ImageFiles.write(new BufferedImage(cm, signed, false, null), signedFile);
    assertThat(ImageFiles.readImage(signedFile).data()).containsExactly(0f, 0.25f, 1f);
    // Labels stay the stored values.
    assertThat(ImageFiles.readLabels(camera).data()).containsExactly(0, 100, 2048, 4080);
    assertThat(ImageFiles.effectiveBits(255, 16)).isEqualTo(8);
    assertThat(ImageFiles.effectiveBits(256, 16)).isEqualTo(10);
    assertThat(ImageFiles.effectiveBits(16383, 16)).isEqualTo(14);
    assertThat(ImageFiles.effectiveBits(16384, 16)).isEqualTo(16);
  }

  /** Writes a one-channel 32-bit float TIFF with the first writer that can. */
  static void writeFloatTiff(Path file, float... values) throws IOException {
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
        false, false, Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
    WritableRaster raster = cm.createCompatibleWritableRaster(values.length, 1);
    raster.setSamples(0, 0, values.length, 1, 0, values);
    BufferedImage img = new BufferedImage(cm, raster, false, null);
    // TwelveMonkeys' writer does not write floats; the JDK's does.
    for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
      ImageWriter writer = it.next();
      Files.deleteIfExists(file);
      try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
        writer.setOutput(out);
        writer.write(img);
        return;
      } catch (IOException | RuntimeException e) {
        // the next writer
      } finally {
        writer.dispose();
      }
    }
    throw new IOException("no TIFF writer writes floats");
  }

  @Test
  void floatTiffsKeepValuesInZeroToOneElseMapTheirRangeAndRefuseNaN() throws Exception {
    Path unit = dir.resolve("unit.tif");
    writeFloatTiff(unit, 0f, 0.25f, 1f);
    assertThat(ImageFiles.readImage(unit).data()).containsExactly(0f, 0.25f, 1f);
    Path wide = dir.resolve("wide.tif");
    writeFloatTiff(wide, -2f, 0f, 6f);
    assertThat(ImageFiles.readImage(wide).data()).containsExactly(0f, 0.25f, 1f);
    Path nan = dir.resolve("nan.tif");
    writeFloatTiff(nan, 0f, Float.NaN, 1f);
    assertThatThrownBy(() -> ImageFiles.readImage(nan)).isInstanceOf(ImageFileException.class)
        .hasMessage(nan + ": pixel 1,0 (channel 0) is NaN: a float image must hold finite numbers");
    Path inf = dir.resolve("inf.tif");
    writeFloatTiff(inf, 0f, Float.POSITIVE_INFINITY);
    assertThatThrownBy(() -> ImageFiles.readImage(inf)).hasMessageStartingWith(inf + ": pixel 1,0")
        .hasMessageContaining("Infinity");
    assertThatThrownBy(() -> ImageFiles.readLabels(unit)).isInstanceOf(ImageFileException.class)
        .hasMessage(unit + ": a label image must hold integers (found 32-bit float samples)");
  }

  @Test
  void eightBitImagesReadAsValueOver255() {
    // All 256 values, grey and RGB, PNG and TIFF: exactly v * (1f / 255), as always.
    FloatImage expected = new FloatImage(256, 1, 1);
    int[] values = new int[256];
    for (int v = 0; v < 256; v++) {
      values[v] = v;
      expected.data()[v] = v * (1f / 255);
    }
    BufferedImage grey = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSamples(0, 0, 256, 1, 0, values);
    BufferedImage rgb = new BufferedImage(256, 1, BufferedImage.TYPE_3BYTE_BGR);
    for (int c = 0; c < 3; c++) {
      rgb.getRaster().setSamples(0, 0, 256, 1, c, values);
    }
    for (String name : new String[] {"grey.png", "grey.tif", "rgb.png", "rgb.tif"}) {
      Path file = dir.resolve(name);
      ImageFiles.write(name.startsWith("grey") ? grey : rgb, file);
      FloatImage image = ImageFiles.readImage(file);
      for (int c = 0; c < image.channels(); c++) {
        assertThat(Arrays.copyOfRange(image.data(), c * 256, c * 256 + 256)).as(name)
            .containsExactly(expected.data());
      }
    }
  }

  /** Our real datasets are 8-bit: their images read exactly as raw value * (1f / 255). */
  @Test
  void realDatasetImagesReadAsBefore() throws IOException {
    Path data = Path.of(System.getProperty("lazyseg.shared", "../../shared")).resolve("data");
    Assumptions.assumeTrue(Files.isDirectory(data), "no shared datasets at " + data);
    int checked = 0;
    try (Stream<Path> sets = Files.list(data)) {
      for (Path set : sets.sorted().toList()) {
        Path images = set.resolve("images");
        if (!Files.isDirectory(images)) {
          continue;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
          files = s.filter(ImageFiles::isImageFile).sorted().limit(3).toList();
        }
        for (Path file : files) {
          Raster r = ImageIO.read(file.toFile()).getRaster();
          FloatImage image = ImageFiles.readImage(file);
          int w = r.getWidth(), h = r.getHeight();
          int[] plane = new int[w * h];
          for (int c = 0; c < image.channels(); c++) {
            r.getSamples(0, 0, w, h, c, plane);
            for (int i = 0; i < plane.length; i++) {
              if (image.data()[c * plane.length + i] != plane[i] * (1f / 255)) {
                throw new AssertionError(file + ": channel " + c + " pixel " + i + " reads "
                    + image.data()[c * plane.length + i] + ", was " + plane[i] * (1f / 255));
              }
            }
          }
          checked++;
        }
      }
    }
    assertThat(checked).isPositive();
  }

  // ---- damaged files and limits --------------------------------------------------------------

  @Test
  void aPngWithADamagedChunkIsNamedWithTheChunkAndItsOffset() throws Exception {
    Path good = dir.resolve("good.png");
    ImageFiles.writeImage(org.lazyseg.core.testing.TestImages.noise(16, 16, 1, 3), good, false);
    byte[] bytes = Files.readAllBytes(good);
    int idat = indexOf(bytes, "IDAT") - 4;
    byte[] flipped = bytes.clone();
    flipped[idat + 8 + 5] ^= 0x10;   // one bit of the compressed pixels
    Path bad = dir.resolve("bad.png");
    Files.write(bad, flipped);
    assertThatThrownBy(() -> ImageFiles.readImage(bad)).isInstanceOf(ImageFileException.class)
        .hasMessage(bad + ": damaged PNG (CRC error in chunk IDAT at byte " + idat + ")");
    assertThatThrownBy(() -> ImageFiles.readLabels(bad))
        .hasMessage(bad + ": damaged PNG (CRC error in chunk IDAT at byte " + idat + ")");
    Path cut = dir.resolve("cut.png");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 12));   // IEND gone
    assertThatThrownBy(() -> ImageFiles.readImage(cut))
        .hasMessage(cut + ": damaged PNG (truncated: the file ends without an IEND chunk)");
    Path cutInside = dir.resolve("cut-inside.png");
    Files.write(cutInside, Arrays.copyOf(bytes, idat + 20));
    assertThatThrownBy(() -> ImageFiles.readImage(cutInside)).hasMessageStartingWith(cutInside
        + ": damaged PNG (truncated: chunk IDAT at byte " + idat + " runs past the end");
  }

  private static int indexOf(byte[] bytes, String text) {
    byte[] t = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 0; i + t.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + t.length, t, 0, t.length)) {
        return i;
      }
    }
    throw new AssertionError(text + " not found");
  }

  /** A PNG of only a header claiming {@code w x h} (8-bit grey) and IEND, with valid CRCs. */
  static byte[] pngHeaderOnly(int w, int h) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    byte[] ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).array();
    for (Object[] chunk : new Object[][] {{"IHDR", ihdr}, {"IEND", new byte[0]}}) {
      byte[] type = ((String) chunk[0]).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] data = (byte[]) chunk[1];
      CRC32 crc = new CRC32();
      crc.update(type);
      crc.update(data);
      out.writeInt(data.length);
      out.write(type);
      out.write(data);
      out.writeInt((int) crc.getValue());
    }
    return bytes.toByteArray();
  }

  @Test
  void anImageAboveThePixelLimitIsRefusedFromItsHeaderBeforeAnyPixelIsAllocated() throws Exception {
    Path huge = dir.resolve("huge.png");
    Files.write(huge, pngHeaderOnly(40000, 40000));
    assertThat(Files.size(huge)).isLessThan(100);
    String expected = huge + ": 40000 x 40000 = 1600000000 pixels, more than the limit of "
        + ImageFiles.DEFAULT_MAX_PIXELS + "; to read it, raise the limit with the Java option"
        + " -Dlazyseg.maxPixels=1600000000 (lazyseg: in LAZYSEG_JAVA_OPTS, with a heap to match)";
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> ImageFiles.readImage(huge)).isInstanceOf(ImageFileException.class)
        .hasMessage(expected);
    assertThatThrownBy(() -> ImageFiles.readLabels(huge)).hasMessage(expected);
    assertThatThrownBy(() -> ImageFiles.readRaster(huge)).hasMessage(expected);
    assertThatThrownBy(() -> ImageFiles.size(huge)).hasMessage(expected);
    // 1.6 GB of raster would take seconds to allocate and fill; the header takes microseconds.
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(1.0);
  }

  @Test
  void aPngTooLargeForOneJavaArrayIsRefusedNotAnOutOfMemoryError() throws Exception {
    Path big = dir.resolve("big.png");
    byte[] header = pngHeaderOnly(10, 10);
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.write(header, 0, header.length - 12);   // no IEND: the rest is a hole of zeros
      f.setLength(2_200_000_000L);               // sparse: takes no disk space
    }
    assertThatThrownBy(() -> ImageFiles.readImage(big)).isInstanceOf(ImageFileException.class)
        .hasMessage(big + ": a PNG of 2200000000 bytes, more than we read (2 GB)");
  }

  @Test
  void thePixelLimitIsASystemProperty() throws Exception {
    Path file = dir.resolve("a.png");
    ImageFiles.writeImage(new FloatImage(20, 10, 1), file, false);
    try {
      System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, "199");
      assertThatThrownBy(() -> ImageFiles.readImage(file))
          .hasMessageStartingWith(file + ": 20 x 10 = 200 pixels, more than the limit of 199;");
      System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, "200");
      assertThat(ImageFiles.readImage(file).width()).isEqualTo(20);
      System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, "lots");
      assertThatThrownBy(() -> ImageFiles.readImage(file)).isInstanceOf(ImageFileException.class)
          .hasMessage(file + ": cannot check its size: -Dlazyseg.maxPixels=lots is not a whole"
              + " number > 0");
    } finally {
      System.clearProperty(ImageFiles.MAX_PIXELS_PROPERTY);
    }
    assertThat(ImageFiles.maxPixels()).isEqualTo(1L << 28);
  }
}
