package org.lazyseg.core.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.PixelSizes;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.ObjectMeasurements.Ellipse;
import org.lazyseg.core.measure.ObjectMeasurements.Measurement;

/** Known answers: rectangles, a disc, a rotated ellipse, and HC18's own head circumferences. */
class ObjectMeasurementsTest {

  @Test
  void aFilledRectangleHasItsExactAreaCentroidBoxPerimeterAndIntensity() {
    // x 3..7, y 2..5: 5 x 4 pixels; the contour through the edge pixels' centres is 4 x 3.
    LabelImage ids = new LabelImage(12, 10);
    FloatImage image = new FloatImage(12, 10, 3);
    for (int y = 2; y <= 5; y++) {
      for (int x = 3; x <= 7; x++) {
        ids.set(x, y, 9);
        image.set(0, x, y, 0.2f);
        image.set(1, x, y, 0.4f);
        image.set(2, x, y, 0.6f);
      }
    }
    List<Measurement> m = ObjectMeasurements.measure(ids, null, image);
    assertThat(m).hasSize(1);
    Measurement r = m.get(0);
    assertThat(r.object()).isEqualTo(9);
    assertThat(r.classId()).isEqualTo(1);
    assertThat(r.area()).isEqualTo(20);
    assertThat(r.centroidX()).isEqualTo(5.0);
    assertThat(r.centroidY()).isEqualTo(3.5);
    assertThat(new int[] {r.boxX(), r.boxY(), r.boxWidth(), r.boxHeight()})
        .containsExactly(3, 2, 5, 4);
    assertThat(r.perimeter()).isEqualTo(14.0);
    assertThat(r.meanIntensity()).isCloseTo(0.4, within(1e-6));
    // A uniform w x h box has variance w²/12 along x: the ellipse of its moments has axes
    // 4 sqrt(w²/12).
    assertThat(r.ellipse().major()).isCloseTo(4 * Math.sqrt(25 / 12.0), within(1e-9));
    assertThat(r.ellipse().minor()).isCloseTo(4 * Math.sqrt(16 / 12.0), within(1e-9));
    assertThat(r.ellipse().angle()).isZero();
  }

  @Test
  void aDiscOfRadiusRHasAxesOf2RAndItsCentreAsCentroid() {
    LabelImage ids = new LabelImage(100, 80);
    int pixels = 0;
    for (int y = 0; y < 80; y++) {
      for (int x = 0; x < 100; x++) {
        if ((x - 50) * (x - 50) + (y - 40) * (y - 40) <= 20 * 20) {
          ids.set(x, y, 1);
          pixels++;
        }
      }
    }
    Measurement d = ObjectMeasurements.measure(ids, null, new FloatImage(100, 80, 1)).get(0);
    assertThat(d.area()).isEqualTo(pixels);
    assertThat(d.centroidX()).isEqualTo(50.0);
    assertThat(d.centroidY()).isEqualTo(40.0);
    assertThat(d.ellipse().major()).isCloseTo(40, within(0.5));
    assertThat(d.ellipse().minor()).isCloseTo(40, within(0.5));
    assertThat(d.ellipse().perimeter()).isCloseTo(2 * Math.PI * 20, within(2.0));
  }

  /**
   * Sets {@code id} inside the ellipse centred at (cx, cy) with semi-axes a and b, the a axis
   * turned {@code degrees} counter-clockwise as seen on the screen (y up).
   */
  private static void fillEllipse(LabelImage ids, double cx, double cy, double a, double b,
      double degrees, int id) {
    double t = Math.toRadians(degrees);
    for (int y = 0; y < ids.height(); y++) {
      for (int x = 0; x < ids.width(); x++) {
        double dx = x - cx, dy = cy - y;   // y up, as on the screen
        double u = dx * Math.cos(t) + dy * Math.sin(t), v = -dx * Math.sin(t) + dy * Math.cos(t);
        if (u * u / (a * a) + v * v / (b * b) <= 1) {
          ids.set(x, y, id);
        }
      }
    }
  }

  @Test
  void aRotatedEllipseHasItsAxesAndAngleCounterClockwiseOnScreen() {
    // Semi-axes 30 and 10, the major axis turned 30 degrees counter-clockwise as seen.
    LabelImage ids = new LabelImage(200, 200);
    fillEllipse(ids, 100, 100, 30, 10, 30, 1);
    Ellipse e = ObjectMeasurements.measure(ids, null, new FloatImage(200, 200, 1)).get(0).ellipse();
    assertThat(e.major()).isCloseTo(60, within(1.0));
    assertThat(e.minor()).isCloseTo(20, within(1.0));
    assertThat(e.angle()).isCloseTo(30, within(1.0));
  }

  @Test
  void ramanujanIsExactForACircleAndCloseForAnEllipse() {
    assertThat(new Ellipse(2, 2, 0).perimeter()).isCloseTo(2 * Math.PI, within(1e-12));
    // Semi-axes 3 and 1: the circumference is 13.3649 (elliptic integral).
    assertThat(new Ellipse(6, 2, 0).perimeter()).isCloseTo(13.3649, within(1e-3));
  }

  @Test
  void objectsKeepTheirIdsTheirMajorityClassAndEvenOnePixelHasAnEllipse() {
    LabelImage ids = new LabelImage(6, 2, new int[] {7, 7, 7, 0, 300, 0, 7, 7, 0, 0, 300, 300});
    LabelImage classes = new LabelImage(6, 2, new int[] {2, 2, 1, 0, 1, 0, 1, 2, 0, 0, 1, 3});
    List<Measurement> m = ObjectMeasurements.measure(ids, classes, new FloatImage(6, 2, 1));
    assertThat(m).extracting(Measurement::object).containsExactly(7, 300);
    assertThat(m).extracting(Measurement::classId).containsExactly(2, 1);
    assertThat(m).extracting(Measurement::area).containsExactly(5L, 3L);
    LabelImage one = new LabelImage(3, 3, new int[] {0, 0, 0, 0, 4, 0, 0, 0, 0});
    Measurement dot = ObjectMeasurements.measure(one, null, new FloatImage(3, 3, 1)).get(0);
    assertThat(dot.perimeter()).isZero();
    assertThat(dot.area()).isEqualTo(1);
    // a circle of the pixel's area
    assertThat(Math.PI / 4 * dot.ellipse().major() * dot.ellipse().minor()).isCloseTo(1, within(0.05));
  }

  /** Thin objects, where fitting an ellipse to the contour fails: stable, along the line. */
  @Test
  void linesOneAndTwoPixelsThickGetTheirLengthAndDirection() {
    LabelImage h = new LabelImage(30, 6);
    for (int x = 3; x < 25; x++) {
      h.set(x, 2, 1);
      h.set(x, 3, 2);
      h.set(x, 4, 2);
    }
    List<Measurement> m = ObjectMeasurements.measure(h, null, new FloatImage(30, 6, 1));
    for (Measurement line : m) {
      assertThat(line.ellipse().major()).isCloseTo(22 * 4 / Math.sqrt(12), within(1e-9));
      assertThat(line.ellipse().angle()).isZero();
    }
    assertThat(m.get(1).ellipse().minor()).isCloseTo(2 * 4 / Math.sqrt(12), within(1e-9));
    LabelImage diagonal = new LabelImage(20, 20);
    for (int x = 3; x < 15; x++) {
      diagonal.set(x, x, 1);   // down-right on the screen: -45 degrees, i.e. 135
    }
    Ellipse e = ObjectMeasurements.measure(diagonal, null, new FloatImage(20, 20, 1)).get(0).ellipse();
    assertThat(e.angle()).isCloseTo(135, within(1e-9));
    assertThat(ObjectMeasurements.measure(diagonal, null, new FloatImage(20, 20, 1)).get(0).ellipse())
        .isEqualTo(e);
  }

  /**
   * A pixel sx wide and sy high: the scaled ellipse and perimeters are what measuring the
   * object blown up by whole factors (each pixel an sx x sy block) gives.
   */
  @Test
  void scaledEllipseAndPerimetersAreThoseOfTheObjectBlownUpPerAxis() {
    LabelImage ids = new LabelImage(60, 50);
    fillEllipse(ids, 30, 25, 20, 8, 30, 3);
    ids.set(2, 2, 5);
    int sx = 2, sy = 3;
    LabelImage big = new LabelImage(60 * sx, 50 * sy);
    for (int y = 0; y < big.height(); y++) {
      for (int x = 0; x < big.width(); x++) {
        big.set(x, y, ids.get(x / sx, y / sy));
      }
    }
    List<Measurement> small = ObjectMeasurements.measure(ids, null, new FloatImage(60, 50, 1));
    List<Measurement> large = ObjectMeasurements.measure(big, null,
        new FloatImage(big.width(), big.height(), 1));
    for (int k = 0; k < 2; k++) {
      Ellipse want = large.get(k).ellipse(), got = small.get(k).ellipse().scaled(sx, sy);
      assertThat(got.major()).isCloseTo(want.major(), within(1e-9));
      assertThat(got.minor()).isCloseTo(want.minor(), within(1e-9));
      if (k == 0) {
        assertThat(got.angle()).isCloseTo(want.angle(), within(1e-9));
      }
    }
    Ellipse e = small.get(0).ellipse();
    assertThat(e.scaled(1, 1).major()).isCloseTo(e.major(), within(1e-9));
    assertThat(e.scaled(1, 1).angle()).isCloseTo(e.angle(), within(1e-9));
    assertThat(e.scaled(0.5, 0.5).minor()).isCloseTo(e.minor() / 2, within(1e-9));
    // Perimeters: through the edge pixels' centres, each step scaled per axis; a w x h
    // rectangle's is 2 (w - 1) sx + 2 (h - 1) sy.
    LabelImage box = new LabelImage(20, 20);
    for (int y = 4; y < 11; y++) {
      for (int x = 2; x < 14; x++) {
        box.set(x, y, 1);
      }
    }
    assertThat(ObjectMeasurements.perimeters(box, 0.5, 0.25)[0])
        .isCloseTo(2 * 11 * 0.5 + 2 * 6 * 0.25, within(1e-9));
    double[] same = ObjectMeasurements.perimeters(ids, 0.5, 0.5);
    double[] unequal = ObjectMeasurements.perimeters(ids, 0.5, 0.5000001);
    assertThat(same[0]).isEqualTo(small.get(0).perimeter() * 0.5);
    assertThat(unequal[0]).isCloseTo(same[0], within(1e-4));
    assertThat(same[1]).isZero();
  }

  /**
   * HC18's masks are its sonographers' ellipses, filled: the ellipse perimeter of each mask
   * times its pixel size is the head circumference the challenge lists (pixel_size.csv).
   */
  @Test
  void hc18HeadCircumferencesFromTheMasksMatchTheReference() throws Exception {
    Path hc18 = Path.of(System.getProperty("lazyseg.shared", "../../shared")).resolve("data/hc18");
    Assumptions.assumeTrue(Files.isRegularFile(hc18.resolve(PixelSizes.FILE)), "no HC18 copy at " + hc18);
    PixelSizes sizes = PixelSizes.read(hc18.resolve(PixelSizes.FILE));
    assertThat(sizes.unit()).isEqualTo("mm");
    java.util.Map<String, Double> reference = new java.util.HashMap<>();
    for (String line : Files.readAllLines(hc18.resolve(PixelSizes.FILE)).subList(1, 251)) {
      String[] f = line.split(",");
      reference.put(f[0], Double.parseDouble(f[2]));
    }
    double sum = 0;
    List<Sample> test = Dataset.open(hc18).samples("test");
    for (Sample s : test) {
      LabelImage mask = s.loadInstances();
      List<Measurement> m = ObjectMeasurements.measure(mask, null,
          new FloatImage(mask.width(), mask.height(), 1));
      assertThat(m).as(s.id()).hasSize(1);
      double mm = m.get(0).ellipse().perimeter() * sizes.of(s.id()).getAsDouble();
      sum += Math.abs(mm - reference.get(s.id()));
    }
    assertThat(test).hasSize(50);
    assertThat(sum / test.size()).as("mean absolute difference, mm").isLessThan(1.5);
  }
}
