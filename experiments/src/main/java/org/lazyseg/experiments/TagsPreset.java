package org.lazyseg.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Patches;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.data.Sample;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.method.ImageTags;
import org.lazyseg.train.method.Method;
import org.lazyseg.train.method.Methods;
import org.lazyseg.train.method.Supervised;
import org.lazyseg.train.method.TagsEvaluation;
import org.lazyseg.train.predict.Predictor;

/**
 * Table I of paper 003 (docs/methods.md, Image tags) on one dataset cut into patches: segmentation
 * from image tags alone with GAP, GWP r = 1, 3, ..., 13 and GMP pooling; Dice of the raw maps,
 * after superpixel voting, after refinement rounds 1 and 2, and classification accuracy;
 * plus U-net on all masks of the same patches as the fully supervised reference. Dice is the
 * mean over the test patches that contain objects, accuracy over all test patches.
 *
 * <p>The images are cut once into {@value #PATCH} x {@value #PATCH} patches (seeded: at most
 * {@value #LIMIT} positive and as many negative patches per split, slivers of fewer than
 * {@value #MIN_PIXELS} object pixels left out) under ROOT/datasets/; the tags runs train on
 * their tags only (strong fraction 0) with {@value #PATCH}-pixel crops, i.e. whole patches.
 * Each run's stage scores are cached in RUN/tags-test-stageS.json.
 */
public final class TagsPreset implements Preset {
  static final int PATCH = 64;
  static final int MIN_PIXELS = 10;
  static final int LIMIT = 500;
  /** Test pictures (image | map | raw | voted | truth) per run and stage. */
  static final int PICTURES = 6;
  /** The paper's GWP parameters. */
  public static final List<Integer> R = List.of(1, 3, 5, 7, 9, 11, 13);

  static final String[] ROWS = {"raw maps", "after superpixel voting",
      "after refinement round 1", "after refinement round 2", "classification accuracy"};
  static final String SUPERVISED = "fully supervised";

  private final String dataset;
  private final String testSplit;

  public TagsPreset(String dataset, String testSplit) {
    this.dataset = dataset;
    this.testSplit = testSplit;
  }

  @Override
  public String name() {
    return "tags-" + dataset;
  }

  @Override
  public String description() {
    return "paper 003 Table I on " + dataset + " patches: tags only, GAP / GWP r=1..13 / GMP; "
        + "raw, voted, refined Dice, accuracy; fully supervised reference";
  }

  /** One column of the table: a label and its run. */
  record Column(String label, RunSpec spec) {}

  /** The columns in the paper's order, then the supervised reference. */
  static List<Column> columns(Path patches) {
    RunSpec tags = RunSpec.of(patches, ImageTags.NAME, 0.0)
        .withOption("crop", Integer.toString(PATCH));
    List<Column> out = new ArrayList<>();
    out.add(new Column("GAP", tags.withOption("pooling", "gap")));
    for (int r : R) {
      out.add(new Column("GWP" + r, tags.withOption("r", Integer.toString(r))));
    }
    out.add(new Column("GMP", tags.withOption("pooling", "gmp")));
    out.add(new Column(SUPERVISED, RunSpec.of(patches, Supervised.NAME, 1.0)
        .withOption("crop", Integer.toString(PATCH))));
    return out;
  }

  @Override
  public void run(ExperimentContext ctx) throws IOException {
    Path data = ctx.sharedDataset(dataset);
    Path patches = patches(ctx, data);
    List<Sample> test = Dataset.open(patches).samples(testSplit);
    Path out = ctx.presetFolder(name());
    Map<String, List<TagsEvaluation.Scores>> scores = new LinkedHashMap<>();
    ResultTable table = null;
    for (Column c : columns(patches)) {
      TrainedRun run = ctx.train(c.spec());
      scores.put(c.label(), stages(ctx, run, test));
      table = table(scores, ctx.settings().profile());
      table.write(out, "results");
    }
    ctx.log("results: %s", out.resolve("results.md"));
    ctx.settings().log().println(table.toMarkdown());
  }

  /** The patch dataset, cut once: ROOT/datasets/DATA-patchesS-..., renamed when complete. */
  private static Path patches(ExperimentContext ctx, Path data) throws IOException {
    String key = String.format(Locale.ROOT, "%s-patches%d-min%d-balanced-limit%d-seed0",
        data.getFileName(), PATCH, MIN_PIXELS, LIMIT);
    Path dir = ctx.settings().root().resolve("datasets").resolve(key);
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path tmp = dir.resolveSibling(key + ".partial");
    if (Files.exists(tmp)) {
      try (Stream<Path> paths = Files.walk(tmp)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(tmp.getParent());
    ctx.log("cutting patches: %s", dir);
    Patches.Summary s = Patches.cut(Dataset.open(data), tmp,
        new Patches.Options(PATCH, PATCH, MIN_PIXELS, true, LIMIT, 0), ProgressCallback.NONE);
    ctx.log("  %s", s);
    Files.move(tmp, dir);
    return dir;
  }

  /**
   * Scores of each stage of a tags run (classification, refinement 1, 2, ...; null where
   * the run did not get there), or the one network of another method; cached per stage.
   */
  private static List<TagsEvaluation.Scores> stages(ExperimentContext ctx, TrainedRun run,
      List<Sample> test) throws IOException {
    Method method = Methods.ofRun(run.dir());
    ImageTags tags = method instanceof ImageTags t ? t : null;
    int stages = tags == null ? 1 : tags.refineRounds() + 1;
    List<TagsEvaluation.Scores> out = new ArrayList<>();
    for (int stage = 0; stage < stages; stage++) {
      String checkpoint = tags == null ? RunFolder.BEST : tags.checkpointOfStage(run.dir(), stage);
      Path cached = run.dir().resolve("tags-test-stage" + stage + ".json");
      if (Files.isRegularFile(cached)) {
        out.add(RunFolder.read(cached, TagsEvaluation.Scores.class));
      } else if (checkpoint == null) {
        out.add(null);
      } else {
        long t0 = System.nanoTime();
        Path pictures = Files.createDirectories(run.dir().resolve("tags-test-stage" + stage));
        try (Predictor p = Predictor.open(run.dir(), checkpoint)) {
          TagsEvaluation.Scores s = TagsEvaluation.evaluate(p, method,
              tags != null ? tags : new ImageTags(), test, pictures, PICTURES);
          RunFolder.write(cached, s);
          out.add(s);
          ctx.log("  stage %d: raw Dice %.3f, voted %.3f, accuracy %.3f (%.0f s)", stage,
              s.rawDice(), s.votedDice(), s.accuracy(), (System.nanoTime() - t0) / 1e9);
        }
      }
    }
    return out;
  }

  /** Rows: the paper's; columns: GAP, GWP r, GMP, fully supervised. */
  static ResultTable table(Map<String, List<TagsEvaluation.Scores>> scores, String profile) {
    ResultTable t = new ResultTable("tags (paper 003 Table I), profile " + profile
        + ": Dice over test patches with objects; accuracy over all test patches");
    for (int row = 0; row < ROWS.length; row++) {
      ResultTable.Row r = t.row().put("", ROWS[row]);
      for (Map.Entry<String, List<TagsEvaluation.Scores>> e : scores.entrySet()) {
        r.put(e.getKey(), cell(e.getValue(), row, e.getKey().equals(SUPERVISED)));
      }
    }
    bars(t, scores);
    return t;
  }

  /** Row 0 raw, 1 voted (stage 0), 2 and 3 raw after refinement, 4 accuracy (stage 0). */
  static Double cell(List<TagsEvaluation.Scores> stages, int row, boolean supervised) {
    if (supervised) {
      return row == 0 ? stages.get(0).rawDice() : null;
    }
    TagsEvaluation.Scores s = switch (row) {
      case 0, 1, 4 -> stages.get(0);
      default -> row - 1 < stages.size() ? stages.get(row - 1) : null;
    };
    if (s == null) {
      return Double.NaN;
    }
    return switch (row) {
      case 1 -> s.votedDice();
      case 4 -> s.accuracy();
      default -> s.rawDice();
    };
  }

  /** The bars, stated as met or missed once the runs they need exist. */
  private static void bars(ResultTable t, Map<String, List<TagsEvaluation.Scores>> scores) {
    String best = null;
    double bestFinal = Double.NEGATIVE_INFINITY;
    for (int r : R) {
      List<TagsEvaluation.Scores> s = scores.get("GWP" + r);
      double v = s == null ? Double.NaN : last(s);
      if (v > bestFinal) {
        bestFinal = v;
        best = "GWP" + r;
      }
    }
    if (best != null) {
      List<TagsEvaluation.Scores> s = scores.get(best);
      double raw = cell(s, 0, false), voted = cell(s, 1, false), refined = cell(s, 2, false);
      t.note(String.format(Locale.ROOT,
          "- Bar: for the best r (%s), Dice rises from raw maps %.3f to voting %.3f to "
              + "refinement %.3f: %s", best, raw, voted, refined,
          raw < voted && voted < refined ? "met" : "missed"));
    }
    if (scores.containsKey("GAP") && scores.containsKey("GMP")) {
      double middle = Double.NEGATIVE_INFINITY;
      for (int r : List.of(3, 5, 7, 9)) {
        if (scores.containsKey("GWP" + r)) {
          middle = Math.max(middle, last(scores.get("GWP" + r)));
        }
      }
      double gap = last(scores.get("GAP")), gmp = last(scores.get("GMP"));
      t.note(String.format(Locale.ROOT,
          "- Bar: GWP with a middle r (3-9, best final Dice %.3f) beats GAP %.3f and GMP %.3f: %s",
          middle, gap, gmp, middle > gap && middle > gmp ? "met" : "missed"));
    }
  }

  /** Dice of the last stage reached. */
  private static double last(List<TagsEvaluation.Scores> stages) {
    for (int i = stages.size() - 1; i >= 0; i--) {
      if (stages.get(i) != null) {
        return stages.get(i).rawDice();
      }
    }
    return Double.NaN;
  }
}
