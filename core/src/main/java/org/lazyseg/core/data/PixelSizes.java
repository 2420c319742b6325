package org.lazyseg.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.lazyseg.core.image.ImageStack.PixelSize;

/**
 * The physical size of a pixel per image, from a {@value #FILE}: a header line {@code id,}
 * then a column {@code pixel_size} (units per pixel) or {@code pixel_size_UNIT} (e.g. HC18's
 * {@code pixel_size_mm}: millimetres per pixel); other columns are ignored. Ids are image ids
 * (file names without extension). Square pixels: one size for x and y.
 *
 * <pre>
 * id,pixel_size_mm,head_circumference_mm
 * 000_HC,0.069135804,44.3
 * </pre>
 */
public final class PixelSizes {
  /** The file name looked for next to the images. */
  public static final String FILE = "pixel_size.csv";
  private static final String COLUMN = "pixel_size";

  private final Path file;
  private final String unit;
  private final Map<String, Double> sizes;

  private PixelSizes(Path file, String unit, Map<String, Double> sizes) {
    this.file = file;
    this.unit = unit;
    this.sizes = Map.copyOf(sizes);
  }

  /**
   * Reads a pixel-size file; every failure is a {@link DatasetException} naming the file (and
   * the line).
   */
  public static PixelSizes read(Path file) {
    CsvTable table = CsvTable.read(file);
    int column = -1;
    for (int c = 1; c < table.header.length; c++) {
      String name = table.header[c];
      if (name.equals(COLUMN) || name.startsWith(COLUMN + "_")) {
        if (column >= 0) {
          throw new DatasetException(file, "two pixel size columns, '" + table.header[column]
              + "' and '" + name + "': keep one");
        }
        column = c;
      }
    }
    if (column < 0) {
      throw new DatasetException(file, "header '" + String.join(",", table.header)
          + "' has no column pixel_size (units per pixel) or pixel_size_UNIT (e.g. pixel_size_mm)");
    }
    String name = table.header[column];
    String unit = name.length() > COLUMN.length() ? name.substring(COLUMN.length() + 1) : "";
    Map<String, Double> sizes = new HashMap<>();
    for (CsvTable.Row row : table.rows) {
      double size;
      try {
        size = Double.parseDouble(row.fields()[column]);
      } catch (NumberFormatException e) {
        throw table.malformed(row, name + " is not a number");
      }
      if (!(size > 0) || Double.isInfinite(size)) {
        throw table.malformed(row, name + " must be a finite number > 0");
      }
      if (sizes.put(row.fields()[0], size) != null) {
        throw table.malformed(row, "id '" + row.fields()[0] + "' listed twice");
      }
    }
    return new PixelSizes(file, unit, sizes);
  }

  /** The first {@value #FILE} found in {@code folders}, in order; none when there is none. */
  public static Optional<PixelSizes> find(Path... folders) {
    for (Path folder : folders) {
      Path file = folder.resolve(FILE);
      if (Files.isRegularFile(file)) {
        return Optional.of(read(file));
      }
    }
    return Optional.empty();
  }

  /** The size of a pixel of image {@code id}, in {@link #unit()}s; empty when not listed. */
  public OptionalDouble of(String id) {
    Double size = sizes.get(id);
    return size == null ? OptionalDouble.empty() : OptionalDouble.of(size);
  }

  /** The size of a pixel of image {@code id} with its unit, from {@value #FILE}; empty when not listed. */
  public Optional<PixelSize> size(String id) {
    Double size = sizes.get(id);
    return size == null ? Optional.empty() : Optional.of(new PixelSize(size, unit, FILE));
  }

  /** The unit of the sizes, from the column name ({@code pixel_size_mm}: mm); "" when unnamed. */
  public String unit() {
    return unit;
  }

  public Path file() {
    return file;
  }

  @Override
  public String toString() {
    return file + " (" + sizes.size() + (sizes.size() == 1 ? " image, " : " images, ")
        + (unit.isEmpty() ? "units" : unit) + " per pixel)";
  }
}
