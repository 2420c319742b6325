package org.lazyseg.core.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small CSV files of a dataset (split.csv, sizes.csv, tags.csv): a header line, then one
 * row per line, comma-separated, fields trimmed, blank lines skipped; UTF-8 (see
 * {@link TextFiles}). Quoting is not supported
 * because ids and class names in our datasets never contain commas.
 */
final class CsvTable {
  /** One data row with its 1-based line number, for error messages. */
  record Row(int line, String text, String[] fields) {}

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
    List<String> lines = TextFiles.readLines(file);
    String[] header = null;
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = stripBom(lines.get(i), i);
      if (text.isBlank()) {
        continue;
      }
      String[] fields = split(text);
      if (header == null) {
        if (!fields[0].equalsIgnoreCase("id") || fields.length < 2) {
          throw malformed(file, i + 1, text, "expected a header line starting with 'id,'");
        }
        header = fields;
        continue;
      }
      if (fields.length != header.length) {
        throw malformed(file, i + 1, text,
            "expected " + header.length + " fields (" + String.join(",", header) + "), found " + fields.length);
      }
      if (fields[0].isEmpty()) {
        throw malformed(file, i + 1, text, "empty id");
      }
      rows.add(new Row(i + 1, text, fields));
    }
    if (header == null) {
      throw new DatasetException(file, "empty file, expected a header line starting with 'id,'");
    }
    return new CsvTable(file, header, rows);
  }

  static DatasetException malformed(Path file, int line, String text, String problem) {
    return new DatasetException(file + ": line " + line + " '" + text + "': " + problem);
  }

  DatasetException malformed(Row row, String problem) {
    return malformed(file, row.line(), row.text(), problem);
  }

  private static String stripBom(String s, int index) {
    return index == 0 && s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static String[] split(String line) {
    String[] fields = line.split(",", -1);
    for (int i = 0; i < fields.length; i++) {
      fields[i] = fields[i].trim();
    }
    return fields;
  }
}
