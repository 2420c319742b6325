package org.lazyseg.train.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.lazyseg.train.RunFolder;

/**
 * metrics.csv and curves.png of a run, both rewritten whole after each epoch (tiny files),
 * so that after a resume they hold exactly the checkpointed epochs. {@link TrainingRun} always
 * installs it, right after the checkpoints: an epoch's row follows its committed checkpoint,
 * whose state records the row, and a start adds it if a kill came in between.
 */
final class MetricsLog implements TrainingListener {
  static final String HEADER = "epoch,round,train_loss,val_loss,val_dice,seconds,steps";

  private Path csv;
  private Path png;
  private final List<EpochStats> rows = new ArrayList<>();

  /** An epoch's row of metrics.csv, without line break. */
  static String row(EpochStats r) {
    return String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.3f,%d", r.epoch(), r.round(),
        r.trainLoss(), r.valLoss(), r.valDice(), r.seconds(), r.steps());
  }

  /**
   * Opens the log of the run folder, keeping the rows of the epochs finished before this
   * start: rows past the checkpoint it resumes from are dropped (a kill came after them, or
   * the start fell back to an older checkpoint), and the checkpoint's own row is added from
   * its state when missing (a kill came between checkpoint and row). The files are rewritten
   * at once when that changed them. Files written before the timing columns left (loop_s,
   * step_s, wait_s after steps) read as well: columns past the seventh are ignored.
   */
  @Override
  public void onStart(TrainingStart start) throws IOException {
    csv = start.folder().metricsFile();
    png = start.folder().curvesFile();
    rows.clear();
    List<String[]> all = EpochCsv.rows(csv);
    for (String[] f : all) {
      if (Integer.parseInt(f[0]) <= start.doneEpochs()) {
        rows.add(parse(f));
      }
    }
    boolean changed = rows.size() != all.size();
    String saved = start.resumed() == null ? null : start.resumed().metricsRow();
    if (saved != null && rows.stream().noneMatch(r -> r.epoch() == start.doneEpochs())) {
      rows.add(parse(saved.split(",")));
      changed = true;
    }
    if (changed) {
      write();
    }
  }

  private static EpochStats parse(String[] f) {
    return new EpochStats(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
        Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
        Double.parseDouble(f[5]), Integer.parseInt(f[6]));
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    rows.add(end.stats());
    write();
  }

  private void write() throws IOException {
    List<String> lines = new ArrayList<>();
    for (EpochStats r : rows) {
      lines.add(row(r) + "\n");
    }
    EpochCsv.write(csv, HEADER, lines);
    RunFolder.haltPoint("metrics-written");
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
    RunFolder.writeBytes(png, BitmapEncoder.getBitmapBytes(chart,
        BitmapEncoder.BitmapFormat.PNG));
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
