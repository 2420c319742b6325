package org.lazyseg.experiments;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Resize;
import org.lazyseg.core.weak.ObjectSize;
import org.lazyseg.core.weak.Simulator;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Augmenter;
import org.lazyseg.train.data.Batch;
import org.lazyseg.train.data.BatchProducer;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.CheckpointState;
import org.lazyseg.train.engine.LoopTiming;
import org.lazyseg.train.loss.Objective;
import org.lazyseg.train.engine.TrainingRun;
import org.lazyseg.train.loss.MultiTaskLoss;
import org.lazyseg.train.loss.SizeObjective;
import org.lazyseg.train.method.ObjectSizes;
import org.lazyseg.train.method.TrainingJob;
import org.lazyseg.train.nn.Parameters;

/**
 * Paper 002 (docs/methods.md, Object sizes) on HC18: for m strong images (8, 16, 32, 64 of the 200
 * training images), the {@code sizes} method pre-trains on the m masks and fine-tunes on all
 * training images, the others labelled with their object size only (sizes derived exactly from the
 * truth by the simulator). Reports test IoU and squared size error E = (g(y) - g(y_hat))^2
 * (full resolution) after pre-training ({@code RUN/pretrain}) and after fine-tuning, and what
 * a size step costs against a supervised step on the same batches of the same images.
 *
 * <p>Images are shrunk to the working side ({@value #SIDE}: 800 x 540 becomes 256 x 173),
 * sizes with them ({@link LabeledImage#scaledObjectSize}); predictions are scaled back before
 * scoring.
 */
public final class SizesPreset implements Preset {
  public static final List<Integer> STRONG_IMAGES = List.of(8, 16, 32, 64);
  /** The working side (longer image side after shrinking) of the paper-scale preset. */
  public static final int SIDE = 256;

  private final int side;
  private final int costSteps;

  public SizesPreset() {
    this(SIDE, 8);
  }

  /**
   * @param side the method's working side
   * @param costSteps steps timed per objective for the cost comparison (after 2 warm-up
   *     steps each)
   */
  public SizesPreset(int side, int costSteps) {
    this.side = side;
    this.costSteps = costSteps;
  }

  @Override
  public String name() {
    return "sizes-hc18";
  }

  /** Option {@code side}: the working side (default {@value #SIDE}), for a faster run. */
  @Override
  public Preset withOptions(Map<String, String> options) {
    int s = side;
    for (Map.Entry<String, String> o : options.entrySet()) {
      if (!o.getKey().equals("side")) {
        throw new IllegalArgumentException("preset '" + name() + "': unknown option '"
            + o.getKey() + "' (known: side)");
      }
      try {
        s = Integer.parseInt(o.getValue());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("preset '" + name() + "': side must be a whole"
            + " number of pixels, got '" + o.getValue() + "'");
      }
      if (s < 8) {
        throw new IllegalArgumentException("preset '" + name() + "': side must be >= 8, got "
            + s);
      }
    }
    return new SizesPreset(s, costSteps);
  }

  @Override
  public String description() {
    return "paper 002 on hc18: pre-train on m strong masks, fine-tune on object sizes; m in "
        + STRONG_IMAGES + "; IoU, size error E, step cost";
  }

  @Override
  public void run(ExperimentContext ctx) throws IOException {
    Path data = ctx.sharedDataset("hc18");
    Path sized = ctx.simulated(data, new Simulator.Options(1.0, 0, 0, true, false, false, 0));
    int trainImages = Dataset.open(sized).samples(Dataset.TRAIN).size();
    List<Double> fractions = new ArrayList<>();
    if (ctx.settings().fractions() != null) {
      fractions.addAll(ctx.settings().fractions());
    } else {
      STRONG_IMAGES.forEach(m -> fractions.add((double) m / trainImages));
    }
    Path out = ctx.presetFolder(name());
    List<Row> rows = new ArrayList<>();
    double[] cost = null;
    for (double f : fractions) {
      RunSpec spec = RunSpec.of(sized, ObjectSizes.NAME, f)
          .withOption("side", Integer.toString(side));
      TrainedRun fine = ctx.train(spec);
      TrainedRun pre = new TrainedRun(fine.dir().resolve(TrainingJob.PRETRAIN_DIR),
          spec.withOption("phase", "pretrain"), fine.outcome());
      List<Phase> phases = new ArrayList<>(List.of(
          phase(ctx, PRETRAINED, pre, data), phase(ctx, FINE_TUNED, fine, data)));
      if (f == fractions.get(0)) {
        phases.add(phase(ctx, CONTROL, control(ctx, spec, fine), data));
      }
      rows.add(new Row((int) Math.round(f * trainImages), fine.outcome().strongImages(),
          phases));
      if (cost == null) {
        cost = stepCost(ctx, pre.dir(), sized, costSteps);
      }
      ResultTable table = table(rows, cost, ctx);
      table.write(out, "results");
      if (f == fractions.get(fractions.size() - 1)) {
        ctx.log("results: %s", out.resolve("results.md"));
        ctx.settings().log().println(table.toMarkdown());
      }
    }
  }

  static final String PRETRAINED = "pre-trained (m masks)";
  static final String FINE_TUNED = "fine-tuned (+ sizes)";
  static final String CONTROL = "control: fine-tuned with size weight 0";

  /** One network of a row: its run, test scores and {E, mean |g - g_hat|}. */
  private record Phase(String network, TrainedRun run, TestScores scores, double[] e) {}

  /** {@code strong}: m, the strong images asked for; {@code trained}: those not held out. */
  private record Row(int strong, int trained, List<Phase> phases) {
    Phase get(String network) {
      return phases.stream().filter(p -> p.network().equals(network)).findFirst().orElse(null);
    }
  }

  private static Phase phase(ExperimentContext ctx, String network, TrainedRun run, Path data)
      throws IOException {
    return new Phase(network, run, ctx.test(run, data, "test"),
        sizeError(run.dir(), data, "test"));
  }

  /**
   * The control for the smallest m: the same fine-tuning with the size term weighted 0 (so
   * the loss is the cross-entropy of the strong images in each batch), from a copy of the
   * same pre-trained network, to tell a gain of the sizes from one of more training steps.
   */
  private static TrainedRun control(ExperimentContext ctx, RunSpec spec, TrainedRun fine)
      throws IOException {
    RunSpec c = spec.withOption("weight", "0");
    Path pretrain = ctx.runFolder(c).resolve(TrainingJob.PRETRAIN_DIR);
    if (!Files.exists(pretrain)) {
      Files.createDirectories(pretrain.getParent());
      ExperimentContext.copyRecursively(fine.dir().resolve(TrainingJob.PRETRAIN_DIR), pretrain);
    }
    return ctx.train(c);
  }

  private ResultTable table(List<Row> rows, double[] cost, ExperimentContext ctx)
      throws IOException {
    ResultTable t = new ResultTable(name() + " (hc18 test split, profile "
        + ctx.settings().profile() + ")");
    for (Row r : rows) {
      for (Phase p : r.phases()) {
        double[] steps = stepTimes(p.run().dir());
        t.row()
            .put("strong m", r.strong())
            .put("m in training", r.trained())
            .put("network", p.network())
            .put("test IoU", p.scores().iou())
            .put("test Dice", p.scores().dice())
            .put("E (px^2)", p.e()[0])
            .put("mean |g - g_hat| (px)", p.e()[1])
            .put("steps", (long) steps[1])
            .put("ms per step", steps[0] * 1000);
      }
    }
    for (Row r : rows) {
      Phase pre = r.get(PRETRAINED), fine = r.get(FINE_TUNED), control = r.get(CONTROL);
      t.note(String.format(Locale.ROOT,
          "- m = %d: fine-tuning changes test IoU by %+.3f and E from %.0f to %.0f px^2",
          r.strong(), fine.scores().iou() - pre.scores().iou(), pre.e()[0], fine.e()[0]));
      if (control != null) {
        t.note(String.format(Locale.ROOT,
            "- m = %d, control (the same steps without the size term): IoU %+.3f, E %.0f px^2",
            r.strong(), control.scores().iou() - pre.scores().iou(), control.e()[0]));
      }
    }
    if (cost != null) {
      t.note(String.format(Locale.ROOT,
          "- Step cost on the same batches (%d whole training images each, interleaved,"
              + " medians of %d): supervised %.0f ms, size (n = 1) %.0f ms: ratio %.2f."
              + " Bar (a size epoch <= 2x a supervised epoch): %s",
          (int) cost[2], costSteps, cost[0], cost[1], cost[1] / cost[0],
          cost[1] / cost[0] <= 2 ? "met" : "missed"));
    }
    t.note("- Of the m strong images, 10% are held out for validation (best checkpoint) when"
        + " 10 or more remain.");
    t.note("- E = (g(truth) - g(prediction))^2 at full resolution, g = 2 max Chebyshev depth"
        + " (docs/methods.md, The size g); images shrunk to the working side for training and"
        + " prediction.");
    return t;
  }

  /**
   * Mean over the split of E = (g(truth) - g(prediction))^2 and of |g - g_hat|, from the
   * predictions {@link ExperimentContext#test} kept in RUN/test-SPLIT/.
   */
  static double[] sizeError(Path run, Path data, String split) throws IOException {
    Path predictions = run.resolve("test-" + split);
    double e = 0, abs = 0;
    int n = 0;
    for (Sample s : Dataset.open(data).samples(split)) {
      Path file = predictions.resolve(s.id() + ".png");
      if (s.mask().isEmpty() || !Files.isRegularFile(file)) {
        continue;
      }
      double d = ObjectSize.size(s.loadClasses()) - ObjectSize.size(ImageFiles.readLabels(file));
      e += d * d;
      abs += Math.abs(d);
      n++;
    }
    return new double[] {n == 0 ? Double.NaN : e / n, n == 0 ? Double.NaN : abs / n};
  }

  /** {mean seconds per step inside steps, steps} over a run's timing.csv. */
  static double[] stepTimes(Path run) throws IOException {
    Path csv = run.resolve(LoopTiming.FILE);
    if (!Files.isRegularFile(csv)) {
      csv = run.resolve("metrics.csv");   // runs from before timing.csv had these columns
    }
    if (!Files.isRegularFile(csv)) {
      return new double[] {Double.NaN, 0};
    }
    List<String> lines = Files.readAllLines(csv);
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int steps = header.indexOf("steps"), stepS = header.indexOf("step_s");
    double seconds = 0, count = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      count += Double.parseDouble(f[steps]);
      seconds += Double.parseDouble(f[stepS]);
    }
    return new double[] {count == 0 ? Double.NaN : seconds / count, count};
  }

  /**
   * What a size step costs against a supervised step: from the best checkpoint of the
   * {@code sizes} run {@code run} (e.g. a pre-training run), alternately one step with the engine's cross-entropy and one with the size
   * objective (n = 1) on the same batch of whole, shrunk training images that carry both a
   * mask and a size, so machine load hits both alike. An epoch is a fixed number of such
   * steps, plus the same batch preparation and validation, so the step ratio bounds the epoch
   * ratio. Returns {supervised ms, size ms, images per batch} (medians).
   */
  public static double[] stepCost(ExperimentContext ctx, Path run, Path data, int steps)
      throws IOException {
    ObjectSizes method = (ObjectSizes) org.lazyseg.train.method.Methods.ofRun(run);
    Path checkpoint = new RunFolder(run).checkpoint(RunFolder.BEST);
    CheckpointState state = RunFolder.read(checkpoint.resolve(RunFolder.STATE),
        CheckpointState.class);
    TrainConfig config = state.config();
    ModelSpec spec = state.spec();
    List<Example> examples = new ArrayList<>();
    for (Sample s : Dataset.open(data).samples(Dataset.TRAIN)) {
      if (examples.size() == 2 * config.batch()) {
        break;
      }
      if (s.mask().isEmpty() || s.size().isEmpty()) {
        continue;
      }
      var image = method.loadImage(s.labeled());
      LabelImage mask = Resize.foreground(s.loadClasses(), image.width(), image.height());
      int[] wh = s.imageSize();
      float size = (float) LabeledImage.scaledObjectSize(s.size().getAsDouble(),
          ObjectSizes.scale(wh[0], wh[1], method.side()));
      examples.add(new Example(s.id(), image, new LabelImage[] {mask}, new float[] {size}));
    }
    ctx.log("timing supervised and size steps on the same %d-image batches", config.batch());
    List<Double> supervised = new ArrayList<>(), sizes = new ArrayList<>();
    try (Model model = Model.newInstance("cost")) {
      var block = spec.newBlock();
      model.setBlock(block);
      Parameters.load(block, checkpoint.resolve(RunFolder.PARAMETERS),
          model.getNDManager());
      DefaultTrainingConfig tc = new DefaultTrainingConfig(new MultiTaskLoss(spec.tasks()))
          .optOptimizer(Optimizer.adam().optLearningRateTracker(
              Tracker.fixed((float) config.learningRate())).build());
      try (Trainer trainer = model.newTrainer(tc);
          BatchProducer producer = new BatchProducer(examples,
              new Augmenter(config.crop(), config.effectiveAugmentation(), spec.normalization()),
              config.batch(), 1, 1, 1)) {
        trainer.initialize(new Shape(config.batch(), spec.channels(), config.crop(),
            config.crop()));
        Objective ce = Objective.pixelTargets(trainer.getLoss());
        Objective size = new SizeObjective(1, 1, 1);
        for (int k = 0; k < steps + 2; k++) {
          Batch b = producer.next();
          long t0 = System.nanoTime();
          TrainingRun.trainStep(trainer, b, ce, 0);
          long t1 = System.nanoTime();
          TrainingRun.trainStep(trainer, b, size, 1);
          long t2 = System.nanoTime();
          if (k >= 2) {
            supervised.add((t1 - t0) / 1e6);
            sizes.add((t2 - t1) / 1e6);
          }
        }
      }
    }
    return new double[] {median(supervised), median(sizes), config.batch()};
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return s.get(s.size() / 2);
  }
}
