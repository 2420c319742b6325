package org.lazyseg.core.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.PixelSizes;
import org.lazyseg.core.image.ImageStack.PixelSize;
import org.lazyseg.core.measure.ObjectMeasurements.Ellipse;
import org.lazyseg.core.measure.ObjectMeasurements.Measurement;

class ObjectsCsvTest {
  @TempDir Path dir;

  private static final Measurement RECT =
      new Measurement(9, 1, 20, 14, 5, 3.5, 3, 2, 5, 4, new Ellipse(6, 4, 0), 0.4);
  private static final Measurement DOT =
      new Measurement(10, 2, 1, 0, 1, 1, 1, 1, 1, 1, new Ellipse(1.25, 1, 90), 0.25);

  @Test
  void writesAHeaderAndOneQuotedRowPerObject() throws Exception {
    ObjectsCsv csv = new ObjectsCsv(List.of("gland", "cell, round"), null);
    Path file = dir.resolve("objects/a.csv");
    csv.write(file, "a", List.of(RECT, DOT));
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).containsExactly(
        String.join(",", ObjectsCsv.COLUMNS),
        "a,9,gland,20,14,5,3.5,3,2,5,4,6,4,0," + number(new Ellipse(6, 4, 0).perimeter()) + ",0.4",
        "a,10,\"cell, round\",1,0,1,1,1,1,1,1,1.25,1,90,"
            + number(new Ellipse(1.25, 1, 90).perimeter()) + ",0.25");
    assertThat(csv.isComplete(file)).isTrue();
    assertThat(csv.read(file)).hasSize(2);
    assertThat(dir.resolve("objects")).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void pixelSizesAddUnitColumnsAndEmptyOnesForUnlistedImages() throws Exception {
    Files.writeString(dir.resolve(PixelSizes.FILE), "id,pixel_size_mm,other\na,0.5,1\n");
    ObjectsCsv csv = new ObjectsCsv(List.of("head"), PixelSizes.read(dir.resolve(PixelSizes.FILE)));
    assertThat(csv.header()).endsWith("pixel_size", "unit", "area_units", "perimeter_units",
        "ellipse_major_units", "ellipse_minor_units", "ellipse_perimeter_units");
    List<String> a = csv.rows("a", List.of(RECT)).get(0);
    double p = new Ellipse(6, 4, 0).perimeter();
    assertThat(a.subList(ObjectsCsv.COLUMNS.size(), a.size()))
        .containsExactly("0.5", "mm", "5", "7", "3", "2", number(p * 0.5));
    List<String> b = csv.rows("b", List.of(RECT)).get(0);
    assertThat(b.subList(ObjectsCsv.COLUMNS.size(), b.size())).as("b is not listed").containsOnly("");
    // A table written without unit columns is not complete for one with them.
    Path plain = dir.resolve("plain.csv");
    new ObjectsCsv(List.of("head"), null).write(plain, "a", List.of(RECT));
    assertThat(csv.isComplete(plain)).isFalse();
    assertThat(csv.isComplete(dir.resolve("missing.csv"))).isFalse();
  }

  @Test
  void pixelSizesGivenImageByImageMayDifferInUnit() throws Exception {
    ObjectsCsv csv = new ObjectsCsv(List.of("cell"), true);
    assertThat(csv.header()).endsWith(ObjectsCsv.UNIT_COLUMNS.toArray(String[]::new));
    csv.write(dir.resolve("a.csv"), "a", List.of(RECT), new PixelSize(0.25, "um", "OME-XML"));
    csv.write(dir.resolve("b.csv"), "b", List.of(RECT), new PixelSize(2, "nm", "OME-XML"));
    csv.write(dir.resolve("c.csv"), "c", List.of(RECT), null);
    List<List<String>> rows = csv.read(dir.resolve("a.csv"));
    rows.addAll(csv.read(dir.resolve("b.csv")));
    rows.addAll(csv.read(dir.resolve("c.csv")));
    int at = ObjectsCsv.COLUMNS.size();
    assertThat(rows).extracting(r -> String.join(",", r.subList(at, at + 3)))
        .containsExactly("0.25,um,1.25", "2,nm,80", ",,");
    assertThat(new ObjectsCsv(List.of("cell"), false).header()).isEqualTo(ObjectsCsv.COLUMNS);
  }

  @Test
  void mergesPerImageTablesInOrderUnderOneHeader() throws Exception {
    ObjectsCsv csv = new ObjectsCsv(List.of("gland", "lumen"), null);
    csv.write(dir.resolve("b.csv"), "b", List.of(DOT));
    csv.write(dir.resolve("a.csv"), "a", List.of(RECT, DOT));
    csv.write(dir.resolve("empty.csv"), "empty", List.of());
    long rows = csv.merge(List.of(dir.resolve("a.csv"), dir.resolve("empty.csv"),
        dir.resolve("b.csv")), dir.resolve("objects.csv"));
    assertThat(rows).isEqualTo(3);
    List<List<String>> merged = csv.read(dir.resolve("objects.csv"));
    assertThat(merged).extracting(r -> r.get(0) + "/" + r.get(1))
        .containsExactly("a/9", "a/10", "b/10");
  }

  private static String number(double v) {
    return new java.math.BigDecimal(v).round(new java.math.MathContext(8)).stripTrailingZeros()
        .toPlainString();
  }
}
