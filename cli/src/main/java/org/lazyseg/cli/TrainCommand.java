package org.lazyseg.cli;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.lazyseg.api.Training;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Augmentation;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.engine.TrainingResult;
import org.lazyseg.train.method.Method;
import org.lazyseg.train.method.Methods;
import org.lazyseg.train.method.TrainingJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lazyseg train}: trains a network on a dataset folder; resumes a killed run. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "Train a segmentation network on a dataset folder (resumes an interrupted run).",
    description = "Reads DIR in the dataset layout (see README: images/, masks/, partial/, scribbles/, split.csv, ...), trains with Adam on random augmented crops, validates every epoch and keeps RUN/checkpoints/{last,best}, RUN/metrics.csv and RUN/curves.png. Run the same command again on the same RUN to resume after the last finished epoch.")
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ThreadOptions threads;
  @Mixin PrecisionOption precision;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run folder to create or resume.")
  Path out;

  @Option(names = "--method", paramLabel = "NAME",
      description = "Training method (the list below). Default: lazy when the training images hold more than one kind of label (strong masks, partial masks, scribbles, sizes, tags), else supervised.")
  String method;

  @Option(names = {"-O", "--method-option"}, paramLabel = "KEY=VALUE",
      description = "A setting of the method, e.g. -O lambda=0.1 (repeatable; see README for each method's).")
  java.util.Map<String, String> methodOptions = new java.util.LinkedHashMap<>();

  @Option(names = "--samples", paramLabel = "N",
      description = "Method sizes: samples of the stochastic binarisation per image and step (same as -O samples=N; default 1).")
  Integer samples;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "quick (minutes on 2 cores), standard (tens of minutes) or paper (256 crops, batch 16, Adam 2e-4, width 32). Default: paper on a GPU, standard on a CPU.")
  String profile;

  @Option(names = "--fraction", defaultValue = "1.0", paramLabel = "F",
      description = "Fraction of training images that keep their strong masks (seeded). Default: ${DEFAULT-VALUE}.")
  double fraction;

  @Option(names = "--train-split", defaultValue = "train", paramLabel = "NAME",
      description = "Split to train on. Default: ${DEFAULT-VALUE}.")
  String trainSplit;

  @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
      description = "Without a 'val' split, hold out this fraction of the strong images for validation (only with 10 or more left). Default: ${DEFAULT-VALUE}.")
  double valFraction;

  @Option(names = "--seed", defaultValue = "0", description = "Seed for the strong subset, initialisation and batches. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--minutes", paramLabel = "M", description = "Wall-clock budget of the whole command (start-up, loading, training, the seed search after it); methods plan their rounds and steps to fit it (README, Time budgets). Default: the profile's (quick: 4, else none).")
  Double minutes;

  @Option(names = "--epochs", description = "Epochs (overrides the profile).")
  Integer epochs;

  @Option(names = "--steps-per-epoch", paramLabel = "N", description = "Optimiser steps per epoch (overrides the profile).")
  Integer stepsPerEpoch;

  @Option(names = "--crop", paramLabel = "S", description = "Training crop size S x S (overrides the profile).")
  Integer crop;

  @Option(names = "--batch", paramLabel = "B", description = "Crops per step (overrides the profile).")
  Integer batch;

  @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate (overrides the profile).")
  Double lr;

  @Option(names = "--width", paramLabel = "W", description = "U-Net base width (overrides the profile: 16, paper 32).")
  Integer width;

  @Option(names = "--depth", defaultValue = "4", paramLabel = "L", description = "U-Net resolution levels. Default: ${DEFAULT-VALUE}.")
  int depth;

  @Option(names = "--augment", paramLabel = "KIND",
      description = "basic (flips, 90-degree turns) or full (also free rotation and rescaling 0.8-1.25). Default: full for the paper profile and the pseudo-labels method, else basic.")
  String augment;

  @Option(names = "--normalize", paramLabel = "KIND",
      description = "How pixel values are scaled before they enter the network; the model records it and predict scales every image the same way. dataset: one mean and standard deviation per channel, computed once from the training images, for every image, so an image whose intensities are on another scale than the training images' (another exposure or camera gain) looks different to the network. percentile: each image by its own 1st and 99.8th percentile per channel, (v - p1) / (p99.8 - p1), in training and predict alike, so an image and the same image with its intensities scaled give the same segmentation. Default: " + Normalization.DEFAULT_KIND + ", and dataset for --method tags (its images without objects must stay dark); a resumed run keeps its own, naming the other is refused.")
  String normalize;

  @Option(names = "--anneal", paramLabel = "F",
      description = "Share of the last epochs over which the learning rate falls along a half cosine towards zero, so that the last checkpoint (the one kept when there are no validation images) does not swing; 0 = a constant rate. Default: the method's: 0.25 for multitask, recursive and pseudo-labels (chosen on validation images, BENCHMARKS.md) and lazy (from multitask), else 0.")
  Double anneal;

  @Option(names = "--scale", paramLabel = "F|auto",
      description = "Working scale: every image and label is shrunk by this factor in (0, 1] before the network sees it, and predict shrinks each image the same way and enlarges the result back to the image's size (the model records it). auto: so that a training crop holds the median annotated object twice over across, 1 where it already does. For objects larger than half the crop, whose outline a crop would otherwise never show. Default: auto; a resumed run keeps its own scale (1 for runs trained before the working scale existed).")
  String scale;

  @Option(names = "--workers", defaultValue = "1", paramLabel = "N", description = "Threads preparing batches in parallel with training. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--restart", description = "Start afresh in a run folder that holds a training (this one, or another method, data or settings, which is refused without it): its contents are moved into a new sibling folder RUN.before-restart-TIME first, not deleted.")
  boolean restart;

  @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Show a progress bar (only on a terminal). Default: ${DEFAULT-VALUE}.")
  boolean progress;

  @Override
  public Integer call() throws IOException {
    long called = System.nanoTime();
    PrintWriter log = spec.commandLine().getErr();
    checkRanges();
    if (samples != null) {
      methodOptions.put("samples", Integer.toString(samples));
    }
    String p = profile != null ? profile : defaultProfile();
    String why = "";
    if (method == null) {
      Set<LabeledImage.Kind> kinds = Methods.annotatedKinds(Dataset.open(data)
          .trainingSet(trainSplit));
      method = Methods.defaultFor(kinds);
      why = " (the default for " + (kinds.size() > 1 ? "training images with "
          + kinds.size() + " kinds of label: " : "these labels: ")
          + kinds.stream().map(k -> k.name().toLowerCase(Locale.ROOT))
              .collect(java.util.stream.Collectors.joining(", ")) + ")";
    }
    Training training = Training.of(method).optSettings(methodOptions)
        .optConfig(config(p)).optProfile(p).optSeed(seed).optThreads(threads.threads())
        .optWidth(width != null ? width : 0).optDepth(depth)
        .optStrongFraction(fraction).optValidationFraction(valFraction).optRestart(restart)
        .optPrecision(precision.precision())
        .optStartedAt(LazySeg.commandStart(called));
    if (minutes != null) {
      training.optMinutes(minutes);
    }
    Method m;
    TrainConfig planned;
    try {
      m = training.method();
      planned = training.plannedConfig();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Dataset dataset = Dataset.open(data);
    checkMemory(training, m, planned, dataset.classNames().size());
    for (String note : dataset.validate((done, total, id) -> {})) {
      log.println("lazyseg: " + note);   // a stack read as its first plane
    }
    log.printf(Locale.ROOT, "lazyseg: %s, method %s%s, profile %s, strong masks kept for %.1f%% of the training images that have them%n",
        dataset, m.name(), why, p, 100 * fraction);
    log.println("lazyseg: " + precision.describe());
    log.flush();
    boolean fresh = restart || new RunFolder(out).checkpoint(RunFolder.LAST) == null;
    if (m.pretraining() != null && fresh) {
      log.printf(Locale.ROOT, "lazyseg: phase 1 (%s) trains into %s, then phase 2 into %s%n",
          m.pretraining().options(), out.resolve(TrainingJob.PRETRAIN_DIR), out);
    }
    int firstEpoch = restart ? 1 : new RunFolder(out).nextEpoch();
    try (ProgressListener listener = new ProgressListener(log, firstEpoch,
        planned.epochs(), planned.stepsPerEpoch(),
        progress && System.console() != null)) {
      TrainingResult r = training.addListener(listener)
          .run(dataset.trainingSet(trainSplit), data.toAbsolutePath().toString(), out);
      log.printf(Locale.ROOT,
          "lazyseg: %d epochs, %d steps%s; best epoch %d (score %.4f). Model: %s  curves: %s%n",
          r.epochs(), r.steps(), r.stoppedByBudget() ? " (time budget reached)" : "",
          r.bestEpoch(), r.bestScore(), out, new RunFolder(out).curvesFile());
    }
    log.flush();
    return 0;
  }

  /**
   * The crops, batch and width the run will use (the profile's, the options', the method's)
   * against this machine's memory ({@link Limits#trainingMemory}), before anything is
   * allocated.
   */
  private void checkMemory(Training training, Method m, TrainConfig planned, int classes) {
    int headClasses;
    try {
      headClasses = m.tasks(classes).stream().mapToInt(org.lazyseg.train.Task::classes).sum();
    } catch (IllegalArgumentException e) {
      headClasses = classes + 1;   // the method refuses these classes: training says so below
    }
    Limits.trainingMemory(spec, planned.crop(), planned.batch(), training.plannedWidth(),
        headClasses);
  }

  /** Numbers outside what training can use are command-line mistakes (exit 2), named. */
  private void checkRanges() {
    require(fraction >= 0 && fraction <= 1, "--fraction must be in [0, 1], not " + fraction);
    require(valFraction >= 0 && valFraction < 1,
        "--val-fraction must be in [0, 1), not " + valFraction);
    require(depth >= 1 && depth <= 8, "--depth must be between 1 and 8, not " + depth);
    require(width == null || (width >= 1 && width <= 512),
        "--width must be between 1 and 512, not " + width);
    int multiple = 1 << (depth - 1);
    require(crop == null || (crop >= multiple && crop <= Limits.MAX_SIDE
        && crop % multiple == 0), "--crop must be a multiple of " + multiple
            + " (2^(depth-1)) between " + multiple + " and " + Limits.MAX_SIDE + ", not " + crop);
    require(batch == null || (batch >= 1 && batch <= 1024),
        "--batch must be between 1 and 1024, not " + batch);
    require(epochs == null || epochs >= 1, "--epochs must be >= 1, not " + epochs);
    require(stepsPerEpoch == null || stepsPerEpoch >= 1,
        "--steps-per-epoch must be >= 1, not " + stepsPerEpoch);
    require(minutes == null || (minutes > 0 && minutes <= 60 * 24 * 365),
        "--minutes must be a number of minutes > 0, not " + minutes);
    require(lr == null || (lr > 0 && lr < 1), "--lr must be in (0, 1), not " + lr);
    require(anneal == null || (anneal >= 0 && anneal <= 1),
        "--anneal must be in [0, 1], not " + anneal);
    require(normalize == null || Normalization.DATASET.equals(normalize)
        || Normalization.PERCENTILE.equals(normalize),
        "--normalize must be " + Normalization.DATASET + " or " + Normalization.PERCENTILE
            + ", not '" + normalize + "'");
    require(scale == null || scaleOrNull() != null,
        "--scale must be a number in (0, 1] or auto, not '" + scale + "'");
    require(workers >= 1 && workers <= 64, "--workers must be between 1 and 64, not "
        + workers);
  }

  /** The --scale factor (NaN for auto), or null when it is neither. */
  private Double scaleOrNull() {
    try {
      return TrainConfig.parseScale(scale);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void require(boolean ok, String message) {
    Limits.require(spec, ok, message);
  }

  /** The profile when none is given: paper on a GPU, standard on a CPU. */
  public static String defaultProfile() {
    return Engine.getInstance().getGpuCount() > 0 ? "paper" : "standard";
  }

  TrainConfig config(String p) {
    TrainConfig.Builder b;
    try {
      b = TrainConfig.profile(p);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    b.optWorkers(workers).optNormalize(normalize);
    if (epochs != null) {
      b.setEpochs(epochs);
    }
    if (stepsPerEpoch != null) {
      b.setStepsPerEpoch(stepsPerEpoch);
    }
    if (crop != null) {
      b.setCrop(crop);
    }
    if (batch != null) {
      b.setBatch(batch);
    }
    if (lr != null) {
      b.setLearningRate(lr);
    }
    if (anneal != null) {
      b.optAnneal(anneal);
    }
    if (scale != null) {
      b.optScale(TrainConfig.parseScale(scale));
    }
    if (augment != null) {
      switch (augment) {
        case "basic" -> b.setAugmentation(Augmentation.flipsAndRotations());
        case "full" -> b.setAugmentation(Augmentation.full());
        default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--augment must be basic or full, not '" + augment + "'");
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
