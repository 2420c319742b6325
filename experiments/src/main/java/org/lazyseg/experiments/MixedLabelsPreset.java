package org.lazyseg.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lazyseg.core.weak.AnnotationCost;
import org.lazyseg.core.weak.Simulator;
import org.lazyseg.train.method.MixedLabels;

/**
 * Issue 28 on one dataset: the mixed model ({@code lazy}) on a mix of labels against the
 * single-kind methods given the same annotation budget (docs/methods.md, Mixed labels and
 * Annotation cost). Per seed, every dataset is simulated from the truth with that seed:
 *
 * <ul>
 *   <li>{@code lazy} on the mix {@link #MIX} (5% strong masks, 60% partial masks with their
 *       scribbles, 35% tags); its price per training image is the budget B;
 *   <li>{@code lazy} on the same mix without the tagged images (do tags help?);
 *   <li>{@code supervised} on strong masks for a share B of the images;
 *   <li>{@code weak-only} on partial masks (with scribbles) for a share min(1, 6B).
 * </ul>
 *
 * Tags alone ({@code tags}) need images that fit the crop and are compared on patches in the
 * tags preset; sizes alone need one object per image: neither is a single-kind candidate here.
 * Option {@code seeds=N} (default 2) runs seeds 0 .. N-1.
 */
public final class MixedLabelsPreset implements Preset {
  /** The example mix. */
  public static final Simulator.Mix MIX = new Simulator.Mix(0.05, 0.6, 0, 0, 0.35);

  private final String dataset;
  private final String testSplit;
  private final int seeds;

  public MixedLabelsPreset(String dataset, String testSplit) {
    this(dataset, testSplit, 2);
  }

  private MixedLabelsPreset(String dataset, String testSplit, int seeds) {
    this.dataset = dataset;
    this.testSplit = testSplit;
    this.seeds = seeds;
  }

  @Override
  public String name() {
    return "mixed-labels-" + dataset;
  }

  @Override
  public String description() {
    return "issue 28 on " + dataset + ": lazy on strong 5% + partial 60% + tags 35% against"
        + " supervised and weak-only at equal annotation cost, seeds 0.." + (seeds - 1);
  }

  @Override
  public Preset withOptions(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (!key.equals("seeds")) {
        throw new IllegalArgumentException("preset '" + name() + "': unknown option '" + key
            + "' (known: seeds)");
      }
    }
    if (!options.containsKey("seeds")) {
      return this;
    }
    int n;
    try {
      n = Integer.parseInt(options.get("seeds"));
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1) {
      throw new IllegalArgumentException("preset '" + name() + "': seeds must be a whole"
          + " number >= 1, not '" + options.get("seeds") + "'");
    }
    return new MixedLabelsPreset(dataset, testSplit, n);
  }

  /** Strong-mask equivalents per training image of a mix's labels. */
  static double budget(Simulator.Mix mix) {
    return mix.strong() * AnnotationCost.STRONG
        + (mix.partial() + mix.scribbles()) * AnnotationCost.PIXEL_LABELS
        + mix.sizes() * AnnotationCost.SIZE + mix.tags() * AnnotationCost.TAGS;
  }

  /** The runs of one seed, the mixed model first. */
  static List<Entry> entries(double budget) {
    return List.of(
        new Entry("lazy, mixed labels", MixedLabels.NAME, MIX, false),
        new Entry("lazy, the mix without its tagged images", MixedLabels.NAME,
            new Simulator.Mix(MIX.strong(), MIX.partial(), 0, 0, 0), false),
        new Entry("U-net, strong masks only", "supervised",
            new Simulator.Mix(Math.min(1, budget), 0, 0, 0, 0), true),
        new Entry("U-net, partial masks only", "weak-only",
            new Simulator.Mix(0, Math.min(1, budget / AnnotationCost.PIXEL_LABELS), 0, 0, 0),
            true));
  }

  record Entry(String label, String method, Simulator.Mix mix, boolean singleKind) {}

  private record Scored(Entry entry, long seed, TrainedRun run, TestScores scores) {}

  @Override
  public void run(ExperimentContext ctx) throws IOException {
    Path data = ctx.sharedDataset(dataset);
    double budget = budget(MIX);
    Path out = ctx.presetFolder(name());
    List<Scored> done = new ArrayList<>();
    ResultTable table = null;
    for (long seed = 0; seed < seeds; seed++) {
      for (Entry e : entries(budget)) {
        Path mixed = ctx.simulated(data, Simulator.Options.ofMix(e.mix(), false, seed, false,
            ctx.settings().threads()));
        TrainedRun run = ctx.train(new RunSpec(mixed, e.method(), Map.of(), 1.0, seed));
        done.add(new Scored(e, seed, run, ctx.test(run, data, testSplit)));
        table = table(done, budget);
        table.write(out, "results");
      }
    }
    ctx.log("results: %s", out.resolve("results.md"));
    ctx.settings().log().println(table.toMarkdown());
  }

  private ResultTable table(List<Scored> done, double budget) {
    ResultTable t = new ResultTable(String.format(Locale.ROOT,
        "%s: test split %s, budget %.3f strong masks per training image", name(),
        testSplit, budget));
    for (Scored s : done) {
      RunOutcome o = s.run().outcome();
      t.row().put("method", s.entry().label())
          .put("labels", mixText(s.entry().mix()))
          .put("seed", s.seed())
          .put("Dice", s.scores().dice())
          .put("object Dice", s.scores().objectDice())
          .put("object Hausdorff", s.scores().objectHausdorff())
          .put("annotation cost", o.annotationTotal())
          .put("steps", o.steps())
          .put("train min", o.trainSeconds() / 60);
    }
    t.note(RunOutcome.COST_NOTE);
    bars(done).forEach(t::note);
    return t;
  }

  private static String mixText(Simulator.Mix mix) {
    List<String> parts = new ArrayList<>();
    double[] shares = mix.shares();
    for (int k = 0; k < shares.length; k++) {
      if (shares[k] > 0) {
        parts.add(Simulator.Mix.KINDS.get(k) + "=" + RunSpec.fraction(shares[k]));
      }
    }
    return String.join(",", parts);
  }

  /** The bars, per seed where the runs they compare exist, stated as met or missed. */
  private static List<String> bars(List<Scored> done) {
    List<String> notes = new ArrayList<>();
    for (long seed = 0; ; seed++) {
      long s = seed;
      List<Scored> ofSeed = done.stream().filter(x -> x.seed() == s).toList();
      if (ofSeed.isEmpty()) {
        return notes;
      }
      Scored mixed = ofSeed.stream().filter(x -> x.entry().label().equals("lazy, mixed labels"))
          .findFirst().orElse(null);
      Scored best = ofSeed.stream().filter(x -> x.entry().singleKind())
          .max(java.util.Comparator.comparingDouble(x -> x.scores().dice())).orElse(null);
      Scored noTags = ofSeed.stream()
          .filter(x -> x.entry().label().startsWith("lazy, the mix without")).findFirst()
          .orElse(null);
      if (mixed != null && best != null) {
        double d = mixed.scores().dice() - best.scores().dice();
        double o = mixed.scores().objectDice() - best.scores().objectDice();
        notes.add(String.format(Locale.ROOT, "- Bar (seed %d): mixed >= the best single-kind"
            + " method (%s) at equal cost: Dice %+.3f, object Dice %+.3f (%s)", seed,
            best.entry().label(), d, o, d >= 0 && o >= 0 ? "met" : "missed"));
      }
      if (mixed != null && noTags != null) {
        double d = mixed.scores().dice() - noTags.scores().dice();
        notes.add(String.format(Locale.ROOT, "- Bar (seed %d): tags-only images do not lower"
            + " Dice: %+.3f (%s)", seed, d, d >= 0 ? "met" : "missed"));
      }
    }
  }
}
