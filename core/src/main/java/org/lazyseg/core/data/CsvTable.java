package org.lazyseg.core.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The small CSV files of a dataset (split.csv, sizes.csv, tags.csv, pixel_size.csv,
 * patches.csv), read and written as RFC 4180 by Jackson: a header line, then one row per
 * record; a field holding a comma, quote or line break is quoted, so any file name can be an
 * id. Reading trims unquoted fields and skips blank lines; UTF-8 (see {@link TextFiles}).
 */
public final class CsvTable {
  /** One data row with its 1-based line number and that line's text, for error messages. */
  record Row(int line, String text, String[] fields) {}

  private static final CsvMapper CSV = new CsvMapper()
      .enable(CsvParser.Feature.WRAP_AS_ARRAY)
      .enable(CsvParser.Feature.TRIM_SPACES)
      .enable(CsvParser.Feature.SKIP_EMPTY_LINES);

  final Path file;
  final String[] header;
  final List<Row> rows;

  private CsvTable(Path file, String[] header, List<Row> rows) {
    this.file = file;
    this.header = header;
    this.rows = rows;
  }

  /**
   * Reads {@code file}; every row must have as many fields as the header, and the header's
   * first column must be {@code id}.
   */
  static CsvTable read(Path file) {
    List<String> lines = new ArrayList<>(TextFiles.readLines(file));
    if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
      lines.set(0, lines.get(0).substring(1));
    }
    String[] header = null;
    List<Row> rows = new ArrayList<>();
    try (MappingIterator<String[]> records = CSV.readerFor(String[].class)
        .with(CsvSchema.emptySchema()).readValues(String.join("\n", lines))) {
      while (true) {
        int line = records.getCurrentLocation().getLineNr();
        String[] fields;
        try {
          if (!records.hasNextValue()) {
            break;
          }
          fields = records.nextValue();
        } catch (JsonProcessingException e) {
          int at = e.getLocation() != null ? e.getLocation().getLineNr() : line;
          throw malformed(file, at, textOf(lines, at), e.getOriginalMessage());
        }
        line = Math.max(line, firstFilledLine(lines, line));
        String text = textOf(lines, line);
        if (fields.length == 0 || fields.length == 1 && fields[0].isEmpty()) {
          continue;
        }
        if (header == null) {
          if (!fields[0].equalsIgnoreCase("id") || fields.length < 2) {
            throw malformed(file, line, text, "expected a header line starting with 'id,'");
          }
          header = fields;
          continue;
        }
        if (fields.length != header.length) {
          throw malformed(file, line, text, "expected " + header.length + " fields ("
              + String.join(",", header) + "), found " + fields.length);
        }
        if (fields[0].isEmpty()) {
          throw malformed(file, line, text, "empty id");
        }
        rows.add(new Row(line, text, fields));
      }
    } catch (IOException e) {
      throw new DatasetException(file, "unreadable CSV (" + e.getMessage() + ")");
    }
    if (header == null) {
      throw new DatasetException(file, "empty file, expected a header line starting with 'id,'");
    }
    return new CsvTable(file, header, rows);
  }

  /** The first line from {@code line} (1-based) that is not blank: where a record starts. */
  private static int firstFilledLine(List<String> lines, int line) {
    int i = Math.max(1, line);
    while (i <= lines.size() && lines.get(i - 1).isBlank()) {
      i++;
    }
    return i;
  }

  private static String textOf(List<String> lines, int line) {
    return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
  }

  static DatasetException malformed(Path file, int line, String text, String problem) {
    return new DatasetException(file + ": line " + line + " '" + text + "': " + problem);
  }

  DatasetException malformed(Row row, String problem) {
    return malformed(file, row.line(), row.text(), problem);
  }

  /** A tags.csv row: the id, then 1 or 0 for each class. */
  public static Object[] idAndFlags(String id, boolean[] flags) {
    Object[] row = new Object[flags.length + 1];
    row[0] = id;
    for (int k = 0; k < flags.length; k++) {
      row[k + 1] = flags[k] ? "1" : "0";
    }
    return row;
  }

  /** A header and rows to write: {@code CsvTable.of("id", "split").row(id, "train").write(file)}. */
  public static Writer of(String... header) {
    return new Writer(header);
  }

  /** Rows collected for one CSV file (each field's {@code toString()}, quoted where needed). */
  public static final class Writer {
    private final List<String[]> records = new ArrayList<>();
    private final int columns;

    private Writer(String[] header) {
      records.add(header.clone());
      columns = header.length;
    }

    /** Adds a row of as many fields as the header. */
    public Writer row(Object... fields) {
      if (fields.length != columns) {
        throw new IllegalArgumentException("a row of " + fields.length + " fields for a header of "
            + columns + ": " + Arrays.toString(fields));
      }
      String[] text = new String[fields.length];
      for (int i = 0; i < fields.length; i++) {
        text[i] = String.valueOf(fields[i]);
      }
      records.add(text);
      return this;
    }

    /** The CSV text, lines ending in \n. */
    public String text() {
      try {
        return CSV.writer(CsvSchema.emptySchema().withLineSeparator("\n"))
            .writeValueAsString(records);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Writes {@link #text()} to {@code file} (under a temporary name, then renamed). */
    public void write(Path file) throws IOException {
      TextFiles.write(file, text());
    }
  }
}
