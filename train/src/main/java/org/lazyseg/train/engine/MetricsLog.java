package org.lazyseg.train.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * metrics.csv and curves.png of a run, both rewritten whole after each epoch (tiny files),
 * so that after a resume they hold exactly the checkpointed epochs.
 */
final class MetricsLog {
  static final String HEADER =
      "epoch,round,train_loss,val_loss,val_dice,seconds,steps,loop_s,step_s,wait_s";

  private final Path csv;
  private final Path png;
  private final List<EpochStats> rows = new ArrayList<>();

  /** Opens the log, keeping the rows of epochs up to {@code keepEpochs} from an old run. */
  MetricsLog(Path csv, Path png, int keepEpochs) throws IOException {
    this.csv = csv;
    this.png = png;
    if (keepEpochs > 0 && Files.exists(csv)) {
      for (String line : Files.readAllLines(csv)) {
        if (line.isBlank() || line.startsWith("epoch")) {
          continue;
        }
        String[] f = line.split(",");
        EpochStats s = new EpochStats(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
            Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
            Double.parseDouble(f[5]), Integer.parseInt(f[6]), column(f, 7), column(f, 8),
            column(f, 9));
        if (s.epoch() <= keepEpochs) {
          rows.add(s);
        }
      }
    }
  }

  /** Timing columns came later: older files lack them (NaN). */
  private static double column(String[] f, int i) {
    return i < f.length ? Double.parseDouble(f[i]) : Double.NaN;
  }

  List<EpochStats> rows() {
    return List.copyOf(rows);
  }

  void add(EpochStats s) throws IOException {
    rows.add(s);
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    for (EpochStats r : rows) {
      b.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.3f,%d,%.3f,%.3f,%.3f%n",
          r.epoch(), r.round(), r.trainLoss(), r.valLoss(), r.valDice(), r.seconds(), r.steps(),
          r.loopSeconds(), r.stepSeconds(), r.waitSeconds()));
    }
    Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
    Files.writeString(tmp, b);
    Files.move(tmp, csv, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    writeChart();
  }

  private void writeChart() throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(800).height(500).title("Training")
        .xAxisTitle("epoch").yAxisTitle("loss / Dice").build();
    chart.getStyler().setMarkerSize(4);
    addSeries(chart, "train loss", EpochStats::trainLoss);
    addSeries(chart, "val loss", EpochStats::valLoss);
    addSeries(chart, "val Dice", EpochStats::valDice);
    // XChart appends the extension itself.
    String name = png.getFileName().toString().replaceFirst("\\.png$", "");
    Path tmp = png.resolveSibling(name + ".tmp.png");
    BitmapEncoder.saveBitmap(chart, png.resolveSibling(name + ".tmp").toString(),
        BitmapEncoder.BitmapFormat.PNG);
    Files.move(tmp, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void addSeries(XYChart chart, String name,
      java.util.function.ToDoubleFunction<EpochStats> value) {
    List<Double> x = new ArrayList<>(), y = new ArrayList<>();
    for (EpochStats r : rows) {
      double v = value.applyAsDouble(r);
      if (Double.isFinite(v)) {
        x.add((double) r.epoch());
        y.add(v);
      }
    }
    if (!x.isEmpty()) {
      chart.addSeries(name, x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }
  }
}
