package org.lazyseg.train.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lazyseg.train.RunFolder;

/**
 * The per-epoch CSV files of a run (metrics.csv, timing.csv): a header line, then one row per
 * finished epoch whose first field is the epoch. Rewritten whole after every epoch, so that
 * after a resume they hold exactly the checkpointed epochs. Plain split and join rather than
 * Jackson's CSV (as the dataset tables use): every field is a number, so nothing is quoted.
 */
final class EpochCsv {
  private EpochCsv() {}

  /**
   * The fields of the rows of epochs 1..{@code doneEpochs} in {@code csv}: none for a new run
   * ({@code doneEpochs} 0) or a missing file.
   */
  static List<String[]> rowsUpTo(Path csv, int doneEpochs) throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String[] f : rows(csv)) {
      if (Integer.parseInt(f[0]) <= doneEpochs) {
        rows.add(f);
      }
    }
    return rows;
  }

  /** The fields of every row in {@code csv}; none for a missing file. */
  static List<String[]> rows(Path csv) throws IOException {
    List<String[]> rows = new ArrayList<>();
    if (Files.exists(csv)) {
      for (String line : Files.readAllLines(csv)) {
        if (!line.isBlank() && !line.startsWith("epoch")) {
          rows.add(line.split(","));
        }
      }
    }
    return rows;
  }

  /** Writes the header and the rows (each ending in a line break) via a temporary file. */
  static void write(Path csv, String header, List<String> rows) throws IOException {
    StringBuilder b = new StringBuilder(header).append('\n');
    rows.forEach(b::append);
    RunFolder.writeString(csv, b);
  }
}
