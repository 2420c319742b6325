package org.lazyseg.fiji;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.measure.Measurements;
import ij.measure.ResultsTable;
import ij.plugin.filter.ParticleAnalyzer;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;

/**
 * LazySeg Segment's Results table of a calibrated image: values in the image's units, as
 * ImageJ's Analyze Particles gives them, checked against closed forms (a disc's pixel count
 * times pixel width and height, a rectangle's perimeter) and against ImageJ's own particle
 * analyzer on the same objects and calibration.
 */
class SegmentCalibrationTest {
  private static final int W = 100, H = 80;

  @BeforeAll
  static void imagej() throws Exception {
    HeadlessImageJ.register();
  }

  /** A disc of radius 20 at (50, 40) (id 4) and a 12 x 7 rectangle at (75, 60) (id 9). */
  private static LabelImage objects() {
    LabelImage ids = new LabelImage(W, H);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        if ((x - 50) * (x - 50) + (y - 40) * (y - 40) <= 20 * 20) {
          ids.set(x, y, 4);
        } else if (x >= 75 && x < 87 && y >= 60 && y < 67) {
          ids.set(x, y, 9);
        }
      }
    }
    return ids;
  }

  private static ResultsTable ours(LabelImage ids, Calibration cal) {
    ResultsTable t = new ResultsTable();
    SegmentCommand.addRows(t, "objects", 1, ids, null, new FloatImage(W, H, 1),
        List.of("cell"), cal);
    return t;
  }

  /** ImageJ's Analyze Particles of the same objects, with the same calibration. */
  private static ResultsTable imagej(LabelImage ids, Calibration cal) {
    ByteProcessor ip = new ByteProcessor(W, H);
    for (int i = 0; i < ids.data().length; i++) {
      ip.set(i, ids.data()[i] == 0 ? 0 : 255);
    }
    ImagePlus imp = new ImagePlus("objects", ip);
    imp.setCalibration(cal);
    ip.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
    ResultsTable t = new ResultsTable();
    ParticleAnalyzer pa = new ParticleAnalyzer(0, Measurements.AREA | Measurements.CENTROID
        | Measurements.RECT | Measurements.ELLIPSE, t, 0, Double.POSITIVE_INFINITY);
    pa.setHideOutputImage(true);
    assertThat(pa.analyze(imp, ip)).isTrue();
    return t;
  }

  private static Calibration calibration(double pw, double ph, String unit) {
    Calibration cal = new Calibration();
    cal.pixelWidth = pw;
    cal.pixelHeight = ph;
    cal.setUnit(unit);
    return cal;
  }

  @Test
  void aCalibratedImageGivesItsUnitsAsAnalyzeParticlesDoes() {
    LabelImage ids = objects();
    int disc = 0;
    for (int v : ids.data()) {
      disc += v == 4 ? 1 : 0;
    }
    ResultsTable pixels = ours(ids, new Calibration());
    assertThat(pixels.getStringValue("Unit", 0)).isEqualTo("pixel");
    assertThat(pixels.getValue("Area", 0)).isEqualTo(disc);
    assertThat(pixels.getValue("X", 0)).isEqualTo(50.5);
    assertThat(pixels.getValue("Perim.", 1)).isEqualTo(2 * 11 + 2 * 6);

    // 0.5 um square pixels: areas x 0.25, lengths and coordinates x 0.5.
    ResultsTable um = ours(ids, calibration(0.5, 0.5, "um"));
    assertThat(um.getStringValue("Unit", 0)).isEqualTo("µm");
    assertThat(um.getValue("Object", 0)).isEqualTo(4);
    assertThat(um.getValue("Area", 0)).isEqualTo(disc * 0.25);
    assertThat(um.getValue("X", 0)).isEqualTo(50.5 * 0.5);
    assertThat(um.getValue("Y", 0)).isEqualTo(40.5 * 0.5);
    assertThat(um.getValue("BX", 0)).isEqualTo(30 * 0.5);
    assertThat(um.getValue("BY", 0)).isEqualTo(20 * 0.5);
    assertThat(um.getValue("Width", 0)).isEqualTo(41 * 0.5);
    assertThat(um.getValue("Height", 0)).isEqualTo(41 * 0.5);
    assertThat(um.getValue("Major", 0)).isCloseTo(pixels.getValue("Major", 0) * 0.5,
        within(1e-9));
    assertThat(um.getValue("Major", 0)).isCloseTo(20, within(0.25));
    assertThat(um.getValue("Perim.", 0)).isEqualTo(pixels.getValue("Perim.", 0) * 0.5);
    assertThat(um.getValue("Perim.", 1)).isEqualTo((2 * 11 + 2 * 6) * 0.5);
    assertThat(um.getValue("Angle", 1)).isEqualTo(pixels.getValue("Angle", 1));
    assertThat(um.getValue("Area", 1)).isEqualTo(12 * 7 * 0.25);

    // Pixels 0.5 mm wide and 0.25 mm high: per axis; the disc becomes an ellipse 20 x 10.
    ResultsTable mm = ours(ids, calibration(0.5, 0.25, "mm"));
    assertThat(mm.getStringValue("Unit", 0)).isEqualTo("mm");
    assertThat(mm.getValue("Area", 0)).isEqualTo(disc * 0.125);
    assertThat(mm.getValue("Y", 0)).isEqualTo(40.5 * 0.25);
    assertThat(mm.getValue("Width", 0)).isEqualTo(41 * 0.5);
    assertThat(mm.getValue("Height", 0)).isEqualTo(41 * 0.25);
    assertThat(mm.getValue("Major", 0)).isCloseTo(pixels.getValue("Major", 0) * 0.5,
        within(1e-9));
    assertThat(mm.getValue("Minor", 0)).isCloseTo(pixels.getValue("Minor", 0) * 0.25,
        within(1e-9));
    assertThat(mm.getValue("Angle", 0)).isCloseTo(0, within(1e-9));
    assertThat(mm.getValue("Perim.", 1)).isCloseTo(2 * 11 * 0.5 + 2 * 6 * 0.25, within(1e-9));
    assertThat(mm.getValue("Angle", 1)).isCloseTo(0, within(1e-9));
  }

  @Test
  void areaCentroidAndBoxAreImageJsOwnForEveryCalibration() {
    LabelImage ids = objects();
    Calibration origin = calibration(0.5, 0.5, "µm");
    origin.xOrigin = 10;
    origin.yOrigin = 20;
    Calibration inverted = calibration(0.2, 0.2, "µm");
    inverted.setInvertY(true);
    for (Calibration cal : new Calibration[] {new Calibration(), calibration(0.5, 0.5, "µm"),
        calibration(0.5, 0.25, "mm"), origin, inverted}) {
      ResultsTable ours = ours(ids, cal), theirs = imagej(ids, cal);
      assertThat(ours.size()).isEqualTo(2);
      assertThat(theirs.size()).isEqualTo(2);
      for (int r = 0; r < 2; r++) {
        for (String c : new String[] {"Area", "X", "Y", "BX", "BY", "Width", "Height"}) {
          assertThat(ours.getValue(c, r)).as("%s of row %d, %s", c, r, cal)
              .isCloseTo(theirs.getValue(c, r), within(1e-9));
        }
        // ImageJ's ellipse fitter matches the second moments of elliptic objects only (and
        // gives none for non-square pixels): the disc.
        if (r == 0 && cal.pixelWidth == cal.pixelHeight) {
          for (String c : new String[] {"Major", "Minor"}) {
            assertThat(ours.getValue(c, r)).as("%s of row %d, %s", c, r, cal)
                .isCloseTo(theirs.getValue(c, r), within(theirs.getValue(c, r) * 0.02));
          }
        }
      }
    }
  }
}
