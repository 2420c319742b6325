package org.lazyseg.core.measure;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.lazyseg.core.data.OutputFolder;
import org.lazyseg.core.data.PixelSizes;
import org.lazyseg.core.image.ImageStack.PixelSize;
import org.lazyseg.core.measure.ObjectMeasurements.Ellipse;
import org.lazyseg.core.measure.ObjectMeasurements.Measurement;

/**
 * The per-object table of {@code lazyseg predict --measure}: one CSV row per object (RFC 4180
 * quoting, through Jackson), columns {@link #COLUMNS} (see {@link ObjectMeasurements} for what
 * each means; lengths in pixels), and, when pixel sizes are known, {@link #UNIT_COLUMNS}:
 * the pixel size and its unit, then area (units²), perimeter, ellipse axes and ellipse
 * perimeter in units (empty for an image of unknown pixel size: one the pixel-size file does
 * not list, or, with {@link #write(Path, String, List, PixelSize)}, given none). Numbers have
 * at most 8 significant digits.
 *
 * <p>A batch writes one file per image and {@link #merge}s them at the end, so a batch that
 * is killed and run again loses no rows; every file is written beside its target and moved
 * into place.
 */
public final class ObjectsCsv {
  public static final List<String> COLUMNS = List.of("image", "object", "class", "area",
      "perimeter", "centroid_x", "centroid_y", "bbox_x", "bbox_y", "bbox_width", "bbox_height",
      "ellipse_major", "ellipse_minor", "ellipse_angle", "ellipse_perimeter", "mean_intensity");
  public static final List<String> UNIT_COLUMNS = List.of("pixel_size", "unit", "area_units",
      "perimeter_units", "ellipse_major_units", "ellipse_minor_units", "ellipse_perimeter_units");

  private static final CsvMapper MAPPER = new CsvMapper();
  private static final MathContext DIGITS = new MathContext(8);

  private final List<String> classNames;
  private final PixelSizes pixelSizes;
  private final boolean units;
  private final List<String> header;
  private final ObjectWriter writer;

  /**
   * @param classNames the names of class ids 1..K
   * @param pixelSizes nullable: without, the table has no unit columns
   */
  public ObjectsCsv(List<String> classNames, PixelSizes pixelSizes) {
    this(classNames, pixelSizes, pixelSizes != null);
  }

  /**
   * A table whose pixel sizes are given image by image ({@link #write(Path, String, List,
   * PixelSize)}).
   *
   * @param units whether the table has the unit columns
   */
  public ObjectsCsv(List<String> classNames, boolean units) {
    this(classNames, null, units);
  }

  private ObjectsCsv(List<String> classNames, PixelSizes pixelSizes, boolean units) {
    this.classNames = List.copyOf(classNames);
    this.pixelSizes = pixelSizes;
    this.units = units;
    List<String> columns = new ArrayList<>(COLUMNS);
    if (units) {
      columns.addAll(UNIT_COLUMNS);
    }
    this.header = List.copyOf(columns);
    CsvSchema.Builder schema = CsvSchema.builder();
    header.forEach(schema::addColumn);
    this.writer = MAPPER.writer(schema.build().withHeader());
  }

  /** The column names of this table. */
  public List<String> header() {
    return header;
  }

  /**
   * The rows of image {@code image}'s objects, as the table holds them, with the pixel size
   * the pixel-size file gives the image.
   */
  public List<List<String>> rows(String image, List<Measurement> objects) {
    return rows(image, objects, pixelSizes == null ? null : pixelSizes.size(image).orElse(null));
  }

  /** The rows of image {@code image}'s objects with pixels of {@code size} (null: unknown). */
  public List<List<String>> rows(String image, List<Measurement> objects, PixelSize size) {
    List<List<String>> rows = new ArrayList<>(objects.size());
    for (Measurement m : objects) {
      Ellipse e = m.ellipse();
      List<String> row = new ArrayList<>(header.size());
      row.add(image);
      row.add(Integer.toString(m.object()));
      row.add(className(m.classId()));
      row.add(Long.toString(m.area()));
      add(row, m.perimeter(), m.centroidX(), m.centroidY());
      add(row, m.boxX(), m.boxY(), m.boxWidth(), m.boxHeight());
      add(row, e.major(), e.minor(), e.angle(), e.perimeter());
      add(row, m.meanIntensity());
      if (units) {
        double s = size != null ? size.size() : Double.NaN;
        add(row, s);
        row.add(size != null ? size.unit() : "");
        add(row, m.area() * s * s, m.perimeter() * s);
        add(row, e.major() * s, e.minor() * s, e.perimeter() * s);
      }
      rows.add(row);
    }
    return rows;
  }

  /** Writes the header and image {@code image}'s rows to {@code file} (atomically). */
  public void write(Path file, String image, List<Measurement> objects) {
    writeRows(file, Stream.of(rows(image, objects)));
  }

  /** As {@link #write(Path, String, List)}, with pixels of {@code size} (null: unknown). */
  public void write(Path file, String image, List<Measurement> objects, PixelSize size) {
    writeRows(file, Stream.of(rows(image, objects, size)));
  }

  /**
   * Whether {@code file} is a table this one would write: it exists and has this header (a
   * table written with other columns, e.g. before a pixel-size file appeared, is not).
   */
  public boolean isComplete(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        MappingIterator<List<String>> rows = reader().readValues(in)) {
      return rows.hasNext() && rows.next().equals(header);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Writes the rows of {@code files} (tables of this header, in this order) into {@code out}
   * under one header, atomically; returns the number of rows.
   */
  public long merge(List<Path> files, Path out) {
    long[] count = {0};
    writeRows(out, files.stream().map(f -> {
      List<List<String>> rows = read(f);
      count[0] += rows.size();
      return rows;
    }));
    return count[0];
  }

  /** The data rows of a table of this header (one-line error naming the file otherwise). */
  public List<List<String>> read(Path file) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        MappingIterator<List<String>> it = reader().readValues(in)) {
      List<List<String>> rows = new ArrayList<>();
      if (!it.hasNext() || !it.next().equals(header)) {
        throw new IllegalStateException(file + ": not an objects table with columns " + header);
      }
      while (it.hasNext()) {
        rows.add(it.next());
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private void writeRows(Path file, Stream<List<List<String>>> tables) {
    try {
      OutputFolder.writeAtomically(file, tmp -> {
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
            SequenceWriter rows = writer.writeValues(w)) {
          for (List<List<String>> table : (Iterable<List<List<String>>>) tables::iterator) {
            for (List<String> row : table) {
              rows.write(row);
            }
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static ObjectReader reader() {
    return MAPPER.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY);
  }

  private String className(int id) {
    if (id == 0) {
      return "background";
    }
    return id <= classNames.size() ? classNames.get(id - 1) : Integer.toString(id);
  }

  private static void add(List<String> row, double... values) {
    for (double v : values) {
      row.add(Double.isFinite(v)
          ? new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString() : "");
    }
  }
}
