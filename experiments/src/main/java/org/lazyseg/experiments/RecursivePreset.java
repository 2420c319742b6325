package org.lazyseg.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.lazyseg.core.weak.Simulator;
import org.lazyseg.train.method.Methods;
import org.lazyseg.train.method.RecursiveApproximation;
import org.lazyseg.train.method.Setting;

/**
 * The comparison of paper 000 (docs/methods.md, Recursive approximation) on one dataset: recursive
 * approximation tasks on a few strong masks plus partial masks, against GrabCut pseudo labels and
 * U-net on the same strong masks, and U-net on all strong masks; for each strong fraction. At the
 * preset's main fraction it adds a lambda ablation: training lambda 0 and 0.5 besides the
 * default, one round (no re-labelling), and the default network segmented with other
 * prediction lambdas, objects without an approximation kept, and the segmentation head
 * alone (no training). Each recursive run's training-set approximation Dice of
 * round 0 and of its last round are in the table; the main run's per-round plot and label
 * evolution pictures are copied next to it.
 *
 * <p>Lazy labels are simulated as the lazy-labels presets do (every training image keeps its
 * mask as truth and gets a partial mask; the seeded strong subset is chosen per run), so the
 * U-net runs are the very runs those presets train, computed once.
 */
public final class RecursivePreset implements Preset {
  private final String dataset;
  private final String testSplit;
  private final List<Double> fractions;
  private final double mainFraction;
  private final boolean objectMeasures;
  /** Options of every recursive run ({@link #OPTIONS}); empty by default. */
  private final Map<String, String> recursiveOptions;

  /** The method options a recursive preset passes to every recursive run. */
  static final List<String> OPTIONS = List.of("strong-share", "far-background");

  /** Training lambdas of the ablation (besides the method's default). */
  static final List<String> LAMBDAS = List.of("0", "0.5");
  /** Prediction lambdas of the ablation (besides the method's default), on the main run. */
  static final List<String> PREDICTION_LAMBDAS = List.of("0", "1", "10");
  /** Other final segmentations of the main run (the method's "prediction" option). */
  static final List<String> PREDICTIONS = List.of("grow-keep", "segmentation",
      "approximation");

  /**
   * @param objectMeasures bars on object Dice (GlaS) rather than Dice (HC18)
   * @param defaultOptions the recursive runs' options ({@link #OPTIONS}) unless a user
   *     overrides them; empty for the method's own defaults
   */
  public RecursivePreset(String dataset, String testSplit, List<Double> fractions,
      double mainFraction, boolean objectMeasures, Map<String, String> defaultOptions) {
    this.dataset = dataset;
    this.testSplit = testSplit;
    this.fractions = List.copyOf(fractions);
    this.mainFraction = mainFraction;
    this.objectMeasures = objectMeasures;
    this.recursiveOptions = Map.copyOf(defaultOptions);
  }

  /**
   * Options {@code strong-share=F} and {@code far-background=R|auto}: the method's options of
   * the same names, for every recursive run, over the preset's defaults; a value equal to the
   * method's default (auto for both) is left out, so such a run is
   * named and shared as one made without it; {@code far-background=0} turns far background
   * off. The baselines are unchanged, so they stay shared with the other presets.
   */
  @Override
  public Preset withOptions(Map<String, String> options) {
    if (options.isEmpty()) {
      return this;
    }
    for (Map.Entry<String, String> o : options.entrySet()) {
      if (!OPTIONS.contains(o.getKey())) {
        throw new IllegalArgumentException("preset '" + name() + "': unknown option '"
            + o.getKey() + "' (known: " + String.join(", ", OPTIONS) + ")");
      }
    }
    Methods.create(RecursiveApproximation.NAME, options);   // checks the value
    Map<String, String> merged = new HashMap<>(recursiveOptions);
    merged.putAll(options);
    // An option at the method's default is left out, so the run is the plain one (same
    // name, shared with a run made without it).
    merged.entrySet().removeIf(o -> isDefault(o.getKey(), o.getValue()));
    return new RecursivePreset(dataset, testSplit, fractions, mainFraction, objectMeasures,
        merged);
  }

  /** Whether {@code value} of the recursive method's setting {@code key} is its default. */
  static boolean isDefault(String key, String value) {
    Setting setting = new RecursiveApproximation().settings().stream()
        .filter(s -> s.name().equals(key)).findFirst().orElseThrow();
    return setting.parse(RecursiveApproximation.NAME, value)
        .equals(setting.parse(RecursiveApproximation.NAME, setting.defaultValue()));
  }

  /** The options of every recursive run of this preset. */
  Map<String, String> recursiveOptions() {
    return recursiveOptions;
  }

  /** The recursive run of a fraction, with the preset's options. */
  private RunSpec recursive(Path lazy, double f) {
    RunSpec spec = RunSpec.of(lazy, RecursiveApproximation.NAME, f);
    for (Map.Entry<String, String> o : new java.util.TreeMap<>(recursiveOptions).entrySet()) {
      spec = spec.withOption(o.getKey(), o.getValue());
    }
    return spec;
  }

  @Override
  public String name() {
    return "recursive-" + dataset;
  }

  @Override
  public String description() {
    return "paper 000 on " + dataset + ": recursive approximation vs pseudo labels vs U-net; "
        + "strong fractions " + fractions + " + 100%, lambda ablation"
        + (recursiveOptions.isEmpty() ? "" : "; recursive runs with "
            + new java.util.TreeMap<>(recursiveOptions));
  }

  /** {@code prediction}: options of another segmentation of the run (no training), or null. */
  private record Entry(String label, RunSpec spec, Map<String, String> prediction) {
    String testName(String split) {
      StringBuilder b = new StringBuilder("test-").append(split);
      new java.util.TreeMap<>(prediction).forEach((k, v) -> b.append('-').append(k).append(v));
      return b.toString();
    }
  }

  private record Scored(Entry entry, TrainedRun run, TestScores scores) {}

  @Override
  public void run(ExperimentContext ctx) throws IOException {
    Path data = ctx.sharedDataset(dataset);
    Path lazy = ctx.simulated(data, new Simulator.Options(1.0, 1.0, 1.0, false, false, true, 0, true,
        ctx.settings().threads()));
    List<Double> fs = ctx.settings().fractions() != null ? ctx.settings().fractions()
        : withFull(fractions);
    Double ablation = fs.stream().anyMatch(f -> Math.abs(f - mainFraction) < 1e-9)
        ? Double.valueOf(mainFraction)
        : fs.stream().filter(f -> f < 1).findFirst().orElse(null);

    List<Entry> entries = new ArrayList<>();
    for (double f : fs) {
      if (f < 1) {
        entries.add(new Entry("recursive", recursive(lazy, f), null));
      }
      // U-net before the pseudo labels: the bars of both datasets need it, only GlaS's PL.
      entries.add(new Entry("U-net, strong only", RunSpec.of(lazy, "supervised", f), null));
      if (f < 1) {
        entries.add(new Entry("pseudo labels (GrabCut)", RunSpec.of(lazy, "pseudo-labels", f),
            null));
      }
    }
    if (ablation != null) {
      RunSpec main = recursive(lazy, ablation);
      // The other segmentations of the main run first: they only predict, in minutes.
      for (String l : PREDICTION_LAMBDAS) {
        entries.add(new Entry("recursive, lambda-pred " + l, main, Map.of("lambda-pred", l)));
      }
      for (String p : PREDICTIONS) {
        entries.add(new Entry("recursive, prediction " + p, main, Map.of("prediction", p)));
      }
      // The paper's seeds: the approximation's argmax instead of the settled threshold.
      entries.add(new Entry("recursive, seeds at the argmax", main,
          Map.of("seed-threshold", "auto")));
      for (String l : LAMBDAS) {
        entries.add(new Entry("recursive, lambda " + l, main.withOption("lambda", l), null));
      }
      entries.add(new Entry("recursive, 1 round (no re-labelling)",
          main.withOption("rounds", "1"), null));
    }

    Path out = ctx.presetFolder(name());
    List<Scored> done = new ArrayList<>();
    ResultTable table = null;
    for (Entry e : entries) {
      TrainedRun run = ctx.train(e.spec());
      TestScores t;
      if (e.prediction() == null) {
        t = ctx.test(run, data, testSplit);
      } else {
        Map<String, String> options = new HashMap<>(Methods.ofRun(run.dir()).options());
        options.putAll(e.prediction());
        t = ctx.test(run, data, testSplit, options,
            e.testName(testSplit));
      }
      done.add(new Scored(e, run, t));
      if (e.prediction() == null && e.spec().method().equals(RecursiveApproximation.NAME)
          && e.spec().options().equals(recursiveOptions)) {
        copyPictures(run.dir(), out, e.spec().strongFraction());
      }
      table = table(done);
      table.write(out, "results");
    }
    ctx.log("results: %s", out.resolve("results.md"));
    if (table != null) {
      ctx.settings().log().println(table.toMarkdown());
    }
  }

  private static List<Double> withFull(List<Double> fs) {
    List<Double> all = new ArrayList<>(fs);
    all.add(1.0);
    return all;
  }

  private ResultTable table(List<Scored> done) throws IOException {
    ResultTable t = new ResultTable(name() + ": " + dataset + " test split '" + testSplit + "'");
    for (Scored s : done) {
      RunOutcome o = s.run().outcome();
      RunSpec spec = s.run().spec();
      ResultTable.Row r = t.row()
          .put("method", s.entry().label())
          .put("strong", String.format(Locale.ROOT, "%.1f%% (%d)", 100 * o.strongFraction(),
              o.strongImages()))
          .put("Dice", s.scores().dice())
          .put("object Dice", s.scores().objectDice())
          .put("object Hausdorff", s.scores().objectHausdorff());
      List<RecursiveApproximation.RoundDice> rounds = approximationDice(s.run().dir());
      if (spec.method().equals(RecursiveApproximation.NAME) && !rounds.isEmpty()) {
        RecursiveApproximation.RoundDice first = rounds.get(0), last = rounds.get(rounds.size() - 1);
        r.put("approx. Dice round 0", first.meanDice())
            .put("approx. Dice last round", last.meanDice())
            .put("rounds", last.round() + 1);
      }
      r.put("annotation cost", o.annotationTotal())
          .put("steps", o.steps())
          .put("train min", o.trainSeconds() / 60);
    }
    t.note(RunOutcome.COST_NOTE);
    if (!recursiveOptions.isEmpty()) {
      t.note("- every recursive run with " + new java.util.TreeMap<>(recursiveOptions));
    }
    bars(t, done);
    return t;
  }

  static List<RecursiveApproximation.RoundDice> approximationDice(Path run) {
    return RecursiveApproximation.approximationDice(run);
  }

  /** The bars, stated as met or missed where both runs exist. */
  private void bars(ResultTable t, List<Scored> done) {
    for (double f : fractions) {
      Scored rec = find(done, RecursiveApproximation.NAME, f);
      if (rec != null) {
        List<RecursiveApproximation.RoundDice> rounds = approximationDice(rec.run().dir());
        if (rounds.size() > 1 && rounds.get(0).meanDice() != null
            && rounds.get(rounds.size() - 1).meanDice() != null) {
          double a = rounds.get(0).meanDice(), b = rounds.get(rounds.size() - 1).meanDice();
          t.note(String.format(Locale.ROOT,
              "- Bar: at %.1f%% the training-set approximation Dice rises from round 0 to round"
                  + " %d: %.3f -> %.3f (%s)", 100 * f, rounds.size() - 1, a, b,
              b > a ? "met" : "missed"));
        }
      }
    }
    Scored rec = find(done, RecursiveApproximation.NAME, mainFraction);
    Scored pl = find(done, "pseudo-labels", mainFraction);
    Scored sup = find(done, "supervised", mainFraction);
    if (objectMeasures) {
      if (rec != null && pl != null) {
        double d = rec.scores().objectDice() - pl.scores().objectDice();
        t.note(String.format(Locale.ROOT, "- Bar: at %.1f%% object Dice >= pseudo labels + 0.05:"
            + " %+.3f (%s)", 100 * mainFraction, d, d >= 0.05 ? "met" : "missed"));
      }
      if (rec != null && sup != null) {
        double d = rec.scores().objectDice() - sup.scores().objectDice();
        t.note(String.format(Locale.ROOT, "- Bar: at %.1f%% object Dice above U-net on the same"
            + " strong masks: %+.3f (%s)", 100 * mainFraction, d, d > 0 ? "met" : "missed"));
      }
    } else if (rec != null && sup != null) {
      double d = rec.scores().dice() - sup.scores().dice();
      t.note(String.format(Locale.ROOT, "- Bar: at %.1f%% Dice >= U-net on the same strong"
          + " masks + 0.03: %+.3f (%s)", 100 * mainFraction, d, d >= 0.03 ? "met" : "missed"));
    }
  }

  /** The plain run (the preset's options only, own prediction) of a method at a fraction. */
  private Scored find(List<Scored> done, String method, double f) {
    for (Scored s : done) {
      RunSpec spec = s.run().spec();
      Map<String, String> plain = method.equals(RecursiveApproximation.NAME) ? recursiveOptions
          : Map.of();
      if (spec.method().equals(method) && Math.abs(spec.strongFraction() - f) < 1e-9
          && spec.options().equals(plain) && s.entry().prediction() == null) {
        return s;
      }
    }
    return null;
  }

  /** The per-round plot and the label evolution pictures of a run, next to the table. */
  private static void copyPictures(Path run, Path out, double fraction) throws IOException {
    String tag = "f" + RunSpec.fraction(fraction);
    Path plot = run.resolve("approximation-dice.png");
    if (Files.isRegularFile(plot)) {
      Files.copy(plot, out.resolve("approximation-dice-" + tag + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Path evolution = run.resolve("rounds").resolve("evolution");
    if (Files.isDirectory(evolution)) {
      try (Stream<Path> files = Files.list(evolution)) {
        for (Path p : files.toList()) {
          Files.copy(p, out.resolve("evolution-" + tag + "-" + p.getFileName()),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
