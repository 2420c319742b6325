package org.lazyseg.train.method;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.lazyseg.core.data.CsvTable;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.PixelMeasures;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Probabilities;
import org.lazyseg.core.weak.Overlays;
import org.lazyseg.core.weak.RecursiveGrowth;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.engine.RoundHook;
import org.lazyseg.train.predict.Predictor;

/**
 * The round hook of {@link RecursiveApproximation}: re-labels the weakly labelled training
 * images between rounds and keeps every round in the run folder.
 *
 * <pre>
 * RUN/rounds/R/ID.png            the approximation label trained on in round R (class ids;
 *                                round 0 = the annotator's partial masks)
 * RUN/rounds/R/overlays/ID.png   the label over the image, the truth outlined in green
 *                                (for the first {@code overlays} weak images by id)
 * RUN/rounds/R/dice.json         per-image and mean Dice against the truth; written last,
 *                                so a round folder with it is complete
 * RUN/rounds/evolution/ID.png    rounds 0..R side by side, then the truth
 * RUN/approximation-dice.csv     round,mean_dice,images (images = how many had a truth)
 * RUN/approximation-dice.json    the same as a list
 * RUN/approximation-dice.png     mean Dice per round (XChart)
 * </pre>
 *
 * <p>The truth only measures; it never reaches a target. Every file is written to a temporary
 * name and renamed. Resume: the engine calls the hook again for the round before the one it
 * resumes in (see {@link RoundHook}); when that round's folder is complete the hook reads the
 * labels back instead of predicting them, so a resumed run trains on exactly the labels it
 * had. A run folder without a checkpoint starts afresh: old rounds are deleted.
 */
final class Rounds implements RoundHook {
  static final String FOLDER = "rounds";
  static final String DICE_FILE = "dice.json";
  static final String CSV = "approximation-dice.csv";
  static final String JSON = "approximation-dice.json";
  static final String PLOT = "approximation-dice.png";
  private static final int TRUTH_COLOUR = 0x00FF00;
  /** Tile size for re-labelling (a GlaS or HC18 image in one tile). */
  static final int RELABEL_TILE = 1024;

  /** One round's Dice: mean over the images with a truth (null without any). */
  record RoundDice(int round, Double meanDice, int images, Map<String, Double> perImage) {}

  /** A row of approximation-dice.json. */
  /** One round's mean Dice of the approximations (null without truth), over how many images. */
  record Row(int round, Double meanDice, int images) {}

  /** The rows a finished or running recursive run wrote to RUN/{@value #JSON}; empty if none. */
  static List<Row> read(Path runDir) {
    Path f = runDir.resolve(JSON);
    return Files.isRegularFile(f) ? List.of(RunFolder.read(f, Row[].class)) : List.of();
  }

  private final Path runDir;
  private final RecursiveApproximation.Settings options;
  /** Weak training images, by id in order: their partial masks and (lazily) their truth. */
  private final Map<String, LabelImage> originals = new TreeMap<>();
  /** Their instance ids, for single-class partial masks that hold several. */
  private final Map<String, LabelImage> originalIds = new HashMap<>();
  private final Map<String, LabeledImage> samples;
  private final Dataset truthData;
  private final TrainingData data;
  private final List<String> pictured;

  Rounds(Path runDir, TrainingData data, Map<String, LabeledImage> weakSamples,
      RecursiveApproximation.Settings options) {
    this.runDir = runDir;
    this.data = data;
    this.options = options;
    this.samples = Map.copyOf(weakSamples);
    this.truthData = options.truth() == null ? null : Dataset.open(Path.of(options.truth()));
    Map<String, FloatImage> images = new HashMap<>();
    for (Example e : data.train()) {
      LabelImage[] t = e.targets();
      if (!data.strongIds().contains(e.id()) && samples.containsKey(e.id())
          && t.length > RecursiveApproximation.APPROXIMATION_HEAD
          && t[RecursiveApproximation.APPROXIMATION_HEAD] != null) {
        LabelImage original = t[RecursiveApproximation.APPROXIMATION_HEAD].copy();
        originals.put(e.id(), original);
        images.put(e.id(), e.image());
        // Instance ids of a single-class partial mask: an object's islands grow as one.
        LabelImage raw = samples.get(e.id()).partial().orElseThrow();
        if (original.max() <= 1 && Components.countIds(raw) > 1) {
          originalIds.put(e.id(), raw);
        }
      }
    }
    this.pictured = originals.keySet().stream().limit(options.overlays()).toList();
    try {
      if (new RunFolder(runDir).checkpoint(RunFolder.LAST) == null) {
        RunFolder.deleteRecursively(runDir.resolve(FOLDER));
      }
      if (!isComplete(0)) {
        writeRound(0, originals, images);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + runDir.resolve(FOLDER), e);
    }
  }

  /** The ids this hook re-labels (weak training images with a partial mask), in order. */
  List<String> weakIds() {
    return List.copyOf(originals.keySet());
  }

  static Path roundDir(Path runDir, int round) {
    return runDir.resolve(FOLDER).resolve(Integer.toString(round));
  }

  @Override
  public void afterRound(int round, Predictor current, List<Example> trainExamples) {
    int next = round + 1;
    Map<String, Example> byId = new HashMap<>();
    for (Example e : trainExamples) {
      if (originals.containsKey(e.id())) {
        byId.put(e.id(), e);
      }
    }
    int a = RecursiveApproximation.APPROXIMATION_HEAD;
    try {
      if (isComplete(next)) {
        for (Map.Entry<String, Example> entry : byId.entrySet()) {
          Example e = entry.getValue();
          LabelImage stored = ImageFiles.readLabels(roundDir(runDir, next).resolve(e.id() + ".png"));
          if (!stored.sameSize(e.image().width(), e.image().height())) {
            throw new IllegalStateException(e.id() + ": stored label of round " + next
                + " does not match its image");
          }
          e.targets()[a] = stored;
        }
        return;
      }
      int separation = current.spec().headOf(LazyMultiTask.SEPARATION);
      int[] heads = separation >= 0
          ? new int[] {RecursiveApproximation.SEGMENTATION_HEAD, a, separation}
          : new int[] {RecursiveApproximation.SEGMENTATION_HEAD, a};
      Map<String, LabelImage> labels = new TreeMap<>();
      Map<String, FloatImage> images = new HashMap<>();
      int tile = current.tileSize();
      // Whole images where they fit: half-overlapping tiles would cost about 4 times more.
      current.setTileSize(Math.max(tile, RELABEL_TILE));
      try {
        relabelAll(current, heads, separation, byId, labels, images);
      } finally {
        current.setTileSize(tile);
      }
      writeRound(next, labels, images);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write round " + next + " in " + runDir, e);
    }
  }

  /** One weak image's re-labelling, timed once (-1: not yet). */
  private long perImage = -1;

  /**
   * The time of a re-labelling: one weak image re-labelled (not kept) and timed, times the
   * weak images. The round's files come on top, which the plan learns from the first
   * round's measured time.
   */
  @Override
  public long estimateNanos(int round, Predictor current, List<Example> trainExamples) {
    if (originals.isEmpty() || isComplete(round + 1)) {
      return 0;
    }
    if (perImage < 0) {
      Example e = trainExamples.stream().filter(x -> originals.containsKey(x.id())).findFirst()
          .orElse(null);
      if (e == null) {
        return 0;
      }
      int a = RecursiveApproximation.APPROXIMATION_HEAD;
      int separation = current.spec().headOf(LazyMultiTask.SEPARATION);
      int[] heads = separation >= 0
          ? new int[] {RecursiveApproximation.SEGMENTATION_HEAD, a, separation}
          : new int[] {RecursiveApproximation.SEGMENTATION_HEAD, a};
      int tile = current.tileSize();
      current.setTileSize(Math.max(tile, RELABEL_TILE));
      try {
        // Twice, timing the second: the first pays for the network's first run at this tile.
        relabelOne(current, heads, separation, e);
        long start = System.nanoTime();
        relabelOne(current, heads, separation, e);
        perImage = Math.max(1, System.nanoTime() - start);
      } finally {
        current.setTileSize(tile);
      }
    }
    return perImage * originals.size();
  }

  /** The new approximation label of one weak image (its targets are left as they are). */
  private LabelImage relabelOne(Predictor current, int[] heads, int separation, Example e) {
    int a = RecursiveApproximation.APPROXIMATION_HEAD;
    int w = e.image().width(), h = e.image().height();
    float[][][] p = current.probabilities(e.image(), heads);
    LabelImage fg = RecursiveGrowth.foreground(p[0], separation >= 0 ? p[2] : null, w, h);
    LabelImage predicted = Probabilities.argmax(p[1], w, h);
    LabelImage grown = RecursiveGrowth.relabel(e.targets()[a], predicted, fg,
        options.lambda(), originals.get(e.id()), originalIds.get(e.id()));
    // With far-background a weak image's segmentation target says where no object can
    // be; its label never grows there (the approximation head's own spill included).
    RecursiveGrowth.clearKnownBackground(grown,
        e.targets()[RecursiveApproximation.SEGMENTATION_HEAD]);
    return grown;
  }

  private void relabelAll(Predictor current, int[] heads, int separation,
      Map<String, Example> byId, Map<String, LabelImage> labels, Map<String, FloatImage> images) {
    int a = RecursiveApproximation.APPROXIMATION_HEAD;
    for (String id : originals.keySet()) {
      Example e = byId.get(id);
      if (e == null) {
        continue;
      }
      LabelImage grown = relabelOne(current, heads, separation, e);
      e.targets()[a] = grown;
      labels.put(id, grown);
      images.put(id, e.image());
    }
  }

  private boolean isComplete(int round) {
    return Files.isRegularFile(roundDir(runDir, round).resolve(DICE_FILE));
  }

  /** Labels, pictures, Dice (last), then the summary files of every complete round. */
  private void writeRound(int round, Map<String, LabelImage> labels,
      Map<String, FloatImage> images) throws IOException {
    Path dir = roundDir(runDir, round);
    Files.createDirectories(dir);
    Map<String, Double> perImage = new LinkedHashMap<>();
    double sum = 0;
    for (Map.Entry<String, LabelImage> entry : labels.entrySet()) {
      String id = entry.getKey();
      LabelImage label = entry.getValue();
      ImageFiles.writeLabels(label, dir.resolve(id + ".png"));
      Optional<LabelImage> truth = truth(id);
      if (truth.isPresent() && truth.get().sameSize(label.width(), label.height())) {
        double d = PixelMeasures.dice(truth.get(), label);
        perImage.put(id, d);
        sum += d;
      }
      if (pictured.contains(id) && images.containsKey(id)) {
        FloatImage image = images.get(id);
        int[] picture = Overlays.overlay(image, label);
        truth.ifPresent(t -> outline(picture, t, TRUTH_COLOUR));
        ImageFiles.writeRgb(picture, image.width(), image.height(),
            dir.resolve("overlays").resolve(id + ".png"));
        writeEvolution(id, image, round, truth.orElse(null));
      }
    }
    Double mean = perImage.isEmpty() ? null : sum / perImage.size();
    RunFolder.write(dir.resolve(DICE_FILE), new RoundDice(round, mean, perImage.size(), perImage));
    writeSummary();
  }

  /** Rounds 0..last side by side over the image, then the truth (when known). */
  private void writeEvolution(String id, FloatImage image, int last, LabelImage truth) {
    List<int[]> panels = new ArrayList<>();
    for (int r = 0; r <= last; r++) {
      Path file = roundDir(runDir, r).resolve(id + ".png");
      if (Files.isRegularFile(file)) {
        int[] panel = Overlays.overlay(image, ImageFiles.readLabels(file));
        if (truth != null) {
          outline(panel, truth, TRUTH_COLOUR);
        }
        panels.add(panel);
      }
    }
    if (truth != null) {
      panels.add(Overlays.overlay(image, truth));
    }
    Overlays.sideBySide(image.width(), image.height(), panels.toArray(int[][]::new))
        .write(runDir.resolve(FOLDER).resolve("evolution").resolve(id + ".png"));
  }

  /** Truth class ids of a weak image: never a target, only measured against. */
  private Optional<LabelImage> truth(String id) {
    if (truthData == null) {
      return data.truthOf(id);
    }
    return truthData.sample(id).filter(x -> x.mask().isPresent()).map(Sample::loadClasses);
  }

  /** Paints the 1-pixel outline of the truth's foreground (4-neighbourhood). */
  private static void outline(int[] picture, LabelImage truth, int colour) {
    int w = truth.width(), h = truth.height();
    int[] t = truth.data();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        if (t[p] <= 0) {
          continue;
        }
        if ((x > 0 && t[p - 1] <= 0) || (x < w - 1 && t[p + 1] <= 0)
            || (y > 0 && t[p - w] <= 0) || (y < h - 1 && t[p + w] <= 0)) {
          picture[p] = colour;
        }
      }
    }
  }

  /** The complete rounds' Dice, in round order. */
  List<Row> rows() throws IOException {
    Path folder = runDir.resolve(FOLDER);
    List<Row> rows = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return rows;
    }
    try (Stream<Path> dirs = Files.list(folder)) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        Path f = d.resolve(DICE_FILE);
        if (Files.isRegularFile(f)) {
          RoundDice r = RunFolder.read(f, RoundDice.class);
          rows.add(new Row(r.round(), r.meanDice(), r.images()));
        }
      }
    }
    rows.sort((x, y) -> Integer.compare(x.round(), y.round()));
    return rows;
  }

  private void writeSummary() throws IOException {
    List<Row> rows = rows();
    CsvTable.Writer csv = CsvTable.of("round", "mean_dice", "images");
    for (Row r : rows) {
      csv.row(r.round(), r.meanDice() == null ? ""
          : String.format(Locale.ROOT, "%.6f", r.meanDice()), r.images());
    }
    csv.write(runDir.resolve(CSV));
    RunFolder.write(runDir.resolve(JSON), rows);
    writePlot(rows);
  }

  private void writePlot(List<Row> rows) throws IOException {
    List<Double> x = new ArrayList<>(), y = new ArrayList<>();
    for (Row r : rows) {
      if (r.meanDice() != null) {
        x.add((double) r.round());
        y.add(r.meanDice());
      }
    }
    if (x.isEmpty()) {
      return;
    }
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(700).height(450)
        .title("Training-set approximations vs truth").xAxisTitle("round")
        .yAxisTitle("mean Dice").build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setMarkerSize(6);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setYAxisDecimalPattern("0.00").setXAxisDecimalPattern("0");
    chart.addSeries("mean Dice", x, y)
        .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    // XChart appends the extension itself (so the temporary file ends in .tmp.png, which a
    // start's clean-up knows).
    Path tmp = RunFolder.temporary(runDir.resolve(PLOT));
    BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
    Files.move(Path.of(tmp + ".png"), runDir.resolve(PLOT),
        StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

}
