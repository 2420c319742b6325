package org.lazyseg.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lazyseg.train.RunFolder;

/**
 * A results table: rows of named cells, written as Markdown (for people and BENCHMARKS.md)
 * and JSON (for scripts), both atomically. Columns appear in the order first seen.
 */
public final class ResultTable {
  private final String title;
  private final List<Map<String, Object>> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public ResultTable(String title) {
    this.title = title;
  }

  /** Adds a row; call {@link Row#put} for its cells. */
  public Row row() {
    Map<String, Object> cells = new LinkedHashMap<>();
    rows.add(cells);
    return new Row(cells);
  }

  /** A line printed under the table (bars met or missed, settings). */
  public ResultTable note(String line) {
    notes.add(line);
    return this;
  }

  public List<Map<String, Object>> rows() {
    return rows;
  }

  /** One row's cells. */
  public static final class Row {
    private final Map<String, Object> cells;

    private Row(Map<String, Object> cells) {
      this.cells = cells;
    }

    public Row put(String column, Object value) {
      cells.put(column, value);
      return this;
    }
  }

  public String toMarkdown() {
    List<String> columns = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      r.keySet().stream().filter(c -> !columns.contains(c)).forEach(columns::add);
    }
    StringBuilder b = new StringBuilder("### ").append(title).append("\n\n");
    b.append("| ").append(String.join(" | ", columns)).append(" |\n|");
    columns.forEach(c -> b.append("---|"));
    b.append('\n');
    for (Map<String, Object> r : rows) {
      b.append("| ");
      for (String c : columns) {
        b.append(format(r.get(c))).append(" | ");
      }
      b.setLength(b.length() - 1);
      b.append('\n');
    }
    if (!notes.isEmpty()) {
      b.append('\n');
      notes.forEach(n -> b.append(n).append("\n"));
    }
    return b.toString();
  }

  static String format(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      if (d.isNaN()) {
        return "n/a";
      }
      return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.1f", d)
          : String.format(Locale.ROOT, "%.3f", d);
    }
    if (v instanceof Float f) {
      return format((double) f);
    }
    return v.toString();
  }

  /** Writes DIR/NAME.md and DIR/NAME.json. */
  public void write(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path md = dir.resolve(name + ".md");
    Path tmp = dir.resolve(name + ".md.tmp");
    Files.writeString(tmp, toMarkdown(), StandardCharsets.UTF_8);
    Files.move(tmp, md, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("title", title);
    json.put("rows", rows.stream().map(ResultTable::finite).toList());
    json.put("notes", notes);
    RunFolder.write(dir.resolve(name + ".json"), json);
  }

  /** JSON has no NaN: such cells become null. */
  private static Map<String, Object> finite(Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>();
    row.forEach((k, v) -> out.put(k, v instanceof Double d && !Double.isFinite(d) ? null : v));
    return out;
  }
}
