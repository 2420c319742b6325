package org.lazyseg.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.DatasetException;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.ImageScores;
import org.lazyseg.core.weak.AnnotationCost;
import org.lazyseg.core.weak.Overlays;
import org.lazyseg.core.weak.Simulator;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.engine.LoopTiming;
import org.lazyseg.train.engine.TimeBudget;
import org.lazyseg.train.engine.TrainingListener;
import org.lazyseg.train.engine.TrainingResult;
import org.lazyseg.train.method.Method;
import org.lazyseg.train.method.Methods;
import org.lazyseg.train.method.TrainingData;
import org.lazyseg.train.method.TrainingJob;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.train.predict.Segmentation;

/**
 * What presets train, test and write through. Everything lands under one root folder that
 * all presets share:
 * <pre>
 * ROOT/datasets/NAME/                     simulated lazy labels (Simulator), once per options
 * ROOT/runs/DATA/PROFILE/KEY/             one run folder per {@link RunSpec}; done.json when finished
 * ROOT/runs/DATA/PROFILE/KEY/test-SPLIT.json, test-SPLIT/    test scores, predictions, pictures
 * ROOT/PRESET/results.md, results.json    the preset's tables
 * </pre>
 * A run with done.json is never trained again and a split with test-SPLIT.json never tested
 * again, so presets that share runs compute them once, and a killed experiment picks up
 * where it stopped (an unfinished run resumes from its last checkpoint).
 */
public final class ExperimentContext {
  /**
   * @param minutesPerRun time budget of each training call, or null for the profile's steps
   * @param fractions strong fractions to run instead of a preset's own, or null
   * @param progress makes a listener for a run's training (e.g. a progress bar) from its
   *     first epoch and config; it is closed after the run when it is AutoCloseable
   */
  public record Settings(Path root, Path dataRoot, String profile, Double minutesPerRun,
      List<Double> fractions, int threads, int workers, PrintWriter log,
      BiFunction<Integer, TrainConfig, TrainingListener> progress) {}

  /** How many test images get a picture (image | truth | prediction) per run. */
  static final int PICTURES = 4;

  private final Settings settings;

  public ExperimentContext(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  public void log(String format, Object... args) {
    settings.log().printf(Locale.ROOT, "lazyseg: " + format + "%n", args);
    settings.log().flush();
  }

  /** A dataset under the data root (../shared/data by default), checked to exist. */
  public Path sharedDataset(String name) {
    Path dir = settings.dataRoot().resolve(name);
    if (!Files.isDirectory(dir.resolve("images"))) {
      throw new DatasetException(dir + ": dataset '" + name
          + "' not found (give the folder that holds it with --data-root)");
    }
    return dir;
  }

  /** A folder for a preset's tables and pictures. */
  public Path presetFolder(String preset) throws IOException {
    return Files.createDirectories(settings.root().resolve(preset));
  }

  /**
   * Lazy labels simulated from {@code data}'s truth, made once per (data, options): the
   * folder ROOT/datasets/NAME-KEY, written in a temporary folder and renamed when complete.
   */
  public Path simulated(Path data, Simulator.Options o) throws IOException {
    String key = o.mix() != null
        ? String.format(Locale.ROOT, "%s-mix-strong%s-partial%s-scribbles%s-sizes%s-tags%s%s-seed%d",
            data.getFileName(), RunSpec.fraction(o.mix().strong()),
            RunSpec.fraction(o.mix().partial()), RunSpec.fraction(o.mix().scribbles()),
            RunSpec.fraction(o.mix().sizes()), RunSpec.fraction(o.mix().tags()),
            o.pseudo() ? "-pseudo" : "", o.seed())
        : String.format(Locale.ROOT, "%s-strong%s-partial%s-scribbles%s%s%s%s-seed%d",
            data.getFileName(), RunSpec.fraction(o.strong()), RunSpec.fraction(o.partial()),
            RunSpec.fraction(o.scribbles()), o.sizes() ? "-sizes" : "", o.tags() ? "-tags" : "",
            o.pseudo() ? "-pseudo" : "", o.seed());
    Path dir = settings.root().resolve("datasets").resolve(key);
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path tmp = dir.resolveSibling(key + ".partial");
    RunFolder.deleteRecursively(tmp);
    Files.createDirectories(tmp.getParent());
    log("simulating lazy labels: %s", dir);
    Simulator.Summary s = Simulator.simulate(Dataset.open(data), tmp, o, ProgressCallback.NONE);
    log("  %s", s);
    Files.move(tmp, dir);
    return dir;
  }

  /**
   * Copies folder {@code from} with everything in it to {@code to} (which must not exist),
   * through a sibling temporary folder renamed at the end, so an interrupted copy leaves no
   * half folder at {@code to} (a run made from another's pre-trained network, SizesPreset).
   */
  static void copyRecursively(Path from, Path to) throws IOException {
    if (Files.exists(to)) {
      throw new IOException("will not copy over " + to + ": it exists");
    }
    Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
    RunFolder.deleteRecursively(tmp);
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = tmp.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The folder of a run (it may not exist yet). */
  public Path runFolder(RunSpec spec) {
    String profile = settings.profile() + (settings.minutesPerRun() == null ? ""
        : "-" + RunSpec.fraction(settings.minutesPerRun()) + "min");
    return settings.root().resolve("runs").resolve(spec.data().getFileName().toString())
        .resolve(profile).resolve(spec.key());
  }

  /** Trains the run, or returns it as recorded when it finished before. */
  public TrainedRun train(RunSpec spec) throws IOException {
    Path dir = runFolder(spec);
    Path done = dir.resolve("done.json");
    if (Files.isRegularFile(done)) {
      return new TrainedRun(dir, spec, RunFolder.read(done, RunOutcome.class));
    }
    long started = System.nanoTime();   // a run's budget holds its loading too
    Dataset data = Dataset.open(spec.data());
    Method method = Methods.create(spec.method(), spec.options());
    TrainConfig.Builder b = TrainConfig.profile(settings.profile()).optSeed(spec.seed())
        .optThreads(settings.threads()).optWorkers(settings.workers());
    if (settings.minutesPerRun() != null) {
      b.optBudgetMinutes(settings.minutesPerRun());
    }
    TrainingJob job = new TrainingJob(data, method,
        new TrainingData.Selection(Dataset.TRAIN, spec.strongFraction(), 0.1, spec.seed()),
        b.build()).optProfileName(settings.profile())
        .optWidth("paper".equals(settings.profile()) ? 32 : 16)
        .optBudget(TimeBudget.of(b.build().budgetMinutes(), started));
    log("run %s (%s)", spec.key(), dir);
    TrainingData td = job.load(ProgressCallback.NONE);
    job.addListener(LoopTiming.toFile());   // RUN/timing.csv: step times for result tables
    int firstEpoch = new RunFolder(dir).nextEpoch();
    TrainingListener listener = settings.progress() == null ? null
        : settings.progress().apply(firstEpoch, job.config());
    if (listener != null) {
      job.addListener(listener);
    }
    // A resumed run's earlier epochs count too (their time as metrics.csv records it).
    double earlier = new RunFolder(dir).epochSeconds(firstEpoch - 1);
    long t0 = System.nanoTime();
    TrainingResult r;
    try {
      r = job.run(dir, td);
    } finally {
      if (listener instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // a progress bar that fails to close loses nothing
        }
      }
    }
    double seconds = earlier + (System.nanoTime() - t0) / 1e9;
    RunOutcome outcome = new RunOutcome(spec.key(), spec.method(), spec.strongFraction(),
        td.train().size(), td.strongIds().size(), annotationCost(td), r.epochs(), r.steps(),
        seconds, r.stoppedByBudget());
    RunFolder.write(done, outcome);
    log("  %d epochs, %d steps, %.0f s", r.epochs(), r.steps(), seconds);
    return new TrainedRun(dir, spec, outcome);
  }

  /**
   * Annotation costs (docs/methods.md, Annotation cost; {@link AnnotationCost}) per training
   * image, in strong-mask units, of the labels the run's method takes (also of images it then
   * leaves out of its batches, {@code Method.learnsFrom}: they were paid for): 1 for a strong
   * mask; otherwise, of the labels the image has, its pixel labels (a partial mask, scribbles) when
   * the method gave it pixel targets and its sizes and tags when it gave it image labels.
   * Without the image behind an example (tests): 1/6 for pixel targets, 1/12 for image labels
   * (which come first: sizes gives a size-only image a placeholder pixel target).
   */
  static double annotationCost(TrainingData td) {
    double cost = 0;
    for (Example e : td.train()) {
      boolean pixels = java.util.Arrays.stream(e.targets()).anyMatch(t -> t != null);
      LabeledImage image = td.images().get(e.id());
      if (td.strongIds().contains(e.id())) {
        cost += AnnotationCost.STRONG;
      } else if (image != null) {
        Set<LabeledImage.Kind> used = EnumSet.noneOf(LabeledImage.Kind.class);
        if (pixels) {
          used.addAll(EnumSet.of(LabeledImage.Kind.PARTIAL, LabeledImage.Kind.SCRIBBLES));
        }
        if (e.imageLabels() != null) {
          used.addAll(EnumSet.of(LabeledImage.Kind.SIZE, LabeledImage.Kind.TAGS));
        }
        used.retainAll(image.kinds());
        cost += AnnotationCost.of(used);
      } else if (e.imageLabels() != null) {
        cost += AnnotationCost.TAGS;
      } else if (pixels) {
        cost += AnnotationCost.PIXEL_LABELS;
      }
    }
    return td.train().isEmpty() ? 0 : cost / td.train().size();
  }

  /**
   * Segments every image of {@code split} with the run's best checkpoint and its method's
   * own segmentation, scores it against the truth (objects from instances/masks), and keeps
   * predictions and a few pictures in RUN/test-SPLIT/. Cached in RUN/test-SPLIT.json.
   */
  public TestScores test(TrainedRun run, Path data, String split) throws IOException {
    return test(run, data, split, Map.of(), "test-" + split);
  }

  /**
   * {@link #test(TrainedRun, Path, String)} with another segmentation of the same network
   * (the run's method with other settings, e.g. a different prediction setting), cached under
   * RUN/NAME.json and RUN/NAME/; {@code settings} empty = the run's own. Segments through
   * {@link SegmentationModel}, as {@code lazyseg predict} does (the run's least object area
   * included).
   */
  public TestScores test(TrainedRun run, Path data, String split, Map<String, String> settings,
      String name) throws IOException {
    Path cached = run.dir().resolve(name + ".json");
    if (Files.isRegularFile(cached)) {
      return RunFolder.read(cached, TestScores.class);
    }
    Dataset ds = Dataset.open(data);
    List<Sample> samples = ds.samples(split).stream().filter(s -> s.mask().isPresent()).toList();
    if (samples.isEmpty()) {
      throw new DatasetException(data + ": no images with masks in split '" + split + "'");
    }
    int classes = ds.classNames().size();
    Path out = Files.createDirectories(run.dir().resolve(name));
    List<ImageScores> scores = new ArrayList<>();
    long t0 = System.nanoTime();
    SegmentationModel.Options options = SegmentationModel.Options.DEFAULT
        .withThreads(settings().threads()).withMethodSettings(settings);
    try (SegmentationModel model = SegmentationModel.open(run.dir(), options)) {
      for (int i = 0; i < samples.size(); i++) {
        Sample s = samples.get(i);
        FloatImage image = s.loadImage();
        Segmentation seg = model.segment(image);
        LabelImage truthObjects = s.loadInstances();
        // Count error and separation come with the scores: of the instances with one class,
        // of the per-class regions with several.
        scores.add(classes > 1
            ? ImageScores.of(s.id(), s.loadClasses(), seg.classes(), classes)
            : ImageScores.of(s.id(), truthObjects, seg.instances(), classes));
        ImageFiles.writeLabels(seg.classes(), out.resolve(s.id() + ".png"));
        if (i < PICTURES) {
          Overlays.sideBySide(image.width(), image.height(), Overlays.grey(image),
              Overlays.overlay(image, truthObjects), Overlays.overlay(image, seg.instances()))
              .write(out.resolve(s.id() + "-image-truth-prediction.png"));
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    ImageScores mean = Evaluation.of(scores).mean();
    TestScores t = new TestScores(split, samples.size(), mean.dice(), mean.iou(),
        mean.objectDice(), mean.objectHausdorff(), mean.countError(),
        mean.separation().precision(), mean.separation().recall(), seconds / samples.size());
    RunFolder.write(cached, t); // NaN is written as "NaN", which reads back
    return t;
  }
}
