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
 * so that after a resume they hold exactly the checkpointed epochs. {@link TrainingRun} always
 * installs it, right after the checkpoints.
 */
final class MetricsLog implements TrainingListener {
  static final String HEADER = "epoch,round,train_loss,val_loss,val_dice,seconds,steps";

  private Path csv;
  private Path png;
  private final List<EpochStats> rows = new ArrayList<>();

  /**
   * Opens the log of the run folder, keeping the rows of the epochs finished before this
   * start. Files written before the timing columns left (loop_s, step_s, wait_s after steps)
   * read as well: columns past the seventh are ignored.
   */
  @Override
  public void onStart(TrainingStart start) throws IOException {
    csv = start.folder().metricsFile();
    png = start.folder().curvesFile();
    rows.clear();
    for (String[] f : EpochCsv.rowsUpTo(csv, start.doneEpochs())) {
      rows.add(new EpochStats(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
          Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
          Double.parseDouble(f[5]), Integer.parseInt(f[6])));
    }
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    rows.add(end.stats());
    List<String> lines = new ArrayList<>();
    for (EpochStats r : rows) {
      lines.add(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.3f,%d%n",
          r.epoch(), r.round(), r.trainLoss(), r.valLoss(), r.valDice(), r.seconds(),
          r.steps()));
    }
    EpochCsv.write(csv, HEADER, lines);
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
