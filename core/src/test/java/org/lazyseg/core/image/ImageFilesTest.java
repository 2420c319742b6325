package org.lazyseg.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.ImageFiles.ImageFileException;

/** The image kinds we read, the one-line reasons of the ones we cannot, and instance images. */
class ImageFilesTest {
  @TempDir Path dir;

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
}
