package org.lazyseg.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.engine.TimeBudget;
import org.lazyseg.train.engine.TrainingListener;
import org.lazyseg.train.engine.TrainingResult;
import org.lazyseg.train.method.Method;
import org.lazyseg.train.method.Methods;
import org.lazyseg.train.method.TrainingData;
import org.lazyseg.train.method.TrainingJob;

/**
 * The one way to train: any method, on a {@link TrainingSet} held in memory or read from a
 * dataset folder, into a run folder (checkpoints, metrics, curves; a run started again in the
 * same folder resumes), with listeners; returns the trained model.
 *
 * <pre>{@code
 * SegmentationModel model = Training.of("multitask").optProfile("quick").optMinutes(1)
 *     .train(set, runDir);
 * }</pre>
 */
public final class Training {
  private final String methodName;
  private final Map<String, String> options = new LinkedHashMap<>();
  private final List<TrainingListener> listeners = new ArrayList<>();
  private String profile;
  private TrainConfig config;
  private double minutes;
  private long seed;
  private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
  private int width;
  private int depth = 4;
  private double strongFraction = 1;
  private double validationFraction = 0.1;
  private boolean restart;
  private Precision precision;
  private String normalize;
  private Double scale;
  private ProgressCallback loading = ProgressCallback.NONE;
  /** When the budget starts ({@link System#nanoTime}); null: when {@link #run} is called. */
  private Long startedAt;

  private Training(String methodName) {
    this.methodName = Objects.requireNonNull(methodName, "method");
  }

  /** Training with the method called {@code method} ({@link Methods#all} lists them). */
  public static Training of(String method) {
    return new Training(method);
  }

  /** A setting of the method, as {@code -O key=value} gives it. */
  public Training optSetting(String key, String value) {
    options.put(key, value);
    return this;
  }

  public Training optSettings(Map<String, String> settings) {
    options.putAll(settings);
    return this;
  }

  /**
   * Start afresh in a run folder that holds a training (this one or another): its contents
   * are moved aside into a sibling folder first (a listener's onMessage names it), never deleted.
   */
  public Training optRestart(boolean restart) {
    this.restart = restart;
    return this;
  }

  /**
   * A profile of {@link TrainConfig#profile}: quick (minutes on 2 cores), standard (default;
   * tens of minutes) or paper; also sets the network width (32 for paper, else 16).
   */
  public Training optProfile(String name) {
    TrainConfig.profile(name); // checks the name
    this.profile = name;
    return this;
  }

  /**
   * A full config instead of the profile's (its seed, threads and budget are still this
   * object's); with {@link #optProfile} as well, the profile only names the run and its width.
   */
  public Training optConfig(TrainConfig config) {
    this.config = config;
    return this;
  }

  /**
   * Wall-clock budget of one {@link #train} call in minutes, loading the images, training
   * and the work after it (the seed search) included; 0 = the profile's. Methods plan their
   * rounds and phases inside it (docs/methods.md, Time budgets).
   */
  public Training optMinutes(double minutes) {
    if (!(minutes >= 0)) {
      throw new IllegalArgumentException("minutes must be >= 0, not " + minutes);
    }
    this.minutes = minutes;
    return this;
  }

  /**
   * Counts the budget from this moment (a {@link System#nanoTime} value) instead of from the
   * call to {@link #train} or {@link #run}: a command gives its own start
   * ({@link TimeBudget#processStartNanos}), so that {@code --minutes} bounds all of it.
   */
  public Training optStartedAt(long nanoTime) {
    this.startedAt = nanoTime;
    return this;
  }

  /**
   * What the network computes in: fp32, or bf16 (fp32 parameters, bf16 arithmetic); null
   * (default) = {@link Precision#auto()}: bf16 where the CPU has AMX or AVX512-BF16. Replaces
   * the precision of a config given to {@link #optConfig}. The run records it.
   */
  public Training optPrecision(Precision precision) {
    this.precision = precision;
    return this;
  }

  /**
   * How images are normalised before they enter the network, recorded with the model so that
   * predict does the same: {@code "dataset"} (one mean and standard deviation per channel,
   * from the training images) or {@code "percentile"} (each image scaled by its own 1st and
   * 99.8th percentile, so that images whose intensities differ by a factor, e.g. 8-bit,
   * 12-bit and float images of the same scene, give the same input); null (default) = the
   * config's ({@link TrainConfig.Builder#optNormalize}); when neither names one,
   * {@link org.lazyseg.train.data.Normalization#DEFAULT_KIND} for a new run and a resumed
   * run's own. A resumed run of the other kind is refused.
   */
  public Training optNormalization(String kind) {
    this.normalize = kind == null ? null : org.lazyseg.train.data.Normalization.checkKind(kind);
    return this;
  }

  /**
   * The working scale, recorded with the model so that segmenting does the same: every image
   * and label shrunk by {@code factor} in (0, 1] before the network sees it, or
   * {@link TrainConfig#AUTO_SCALE} (NaN) to choose it from the annotated objects' sizes
   * ({@link org.lazyseg.train.method.WorkingScale#auto}); null (default) = the config's,
   * which is auto unless it names one. A resumed run keeps its own scale under auto; at
   * another fixed scale it is refused.
   */
  public Training optScale(Double factor) {
    if (factor != null && !(Double.isNaN(factor) || (factor > 0 && factor <= 1))) {
      throw new IllegalArgumentException("scale must be in (0, 1] or NaN (auto), not " + factor);
    }
    this.scale = factor;
    return this;
  }

  /** The precision the run will compute in ({@link #optPrecision}, resolved). */
  public Precision plannedPrecision() {
    return precision != null ? precision : Precision.auto();
  }

  /** Seed of the strong subset, the initial weights and the batches. */
  public Training optSeed(long seed) {
    this.seed = seed;
    return this;
  }

  /** CPU threads of the engine (a process-wide pool in PyTorch). */
  public Training optThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, not " + threads);
    }
    this.threads = threads;
    return this;
  }

  /** U-Net base width; 0 = the profile's (16, paper 32). */
  public Training optWidth(int width) {
    this.width = width;
    return this;
  }

  /** U-Net resolution levels (default 4). */
  public Training optDepth(int depth) {
    this.depth = depth;
    return this;
  }

  /**
   * Keep the strong masks of only this seeded fraction of the training images that have one
   * (an annotation budget; default 1, all).
   */
  public Training optStrongFraction(double fraction) {
    this.strongFraction = fraction;
    return this;
  }

  /**
   * Without validation images in the set, hold out this fraction of the strong images
   * (only with 10 or more left; default 0.1).
   */
  public Training optValidationFraction(double fraction) {
    this.validationFraction = fraction;
    return this;
  }

  /** Told about each image as the training images are loaded. */
  public Training optLoadingProgress(ProgressCallback progress) {
    this.loading = Objects.requireNonNull(progress);
    return this;
  }

  public Training addListener(TrainingListener listener) {
    listeners.add(Objects.requireNonNull(listener));
    return this;
  }

  /** The method with its settings. @throws IllegalArgumentException for a bad setting */
  public Method method() {
    return Methods.create(methodName, options);
  }

  /** The config the run will use: the profile (or given config) after the method's changes. */
  public TrainConfig plannedConfig() {
    return method().adjust(baseConfig());
  }

  /** The network's base width the run will use: {@link #optWidth}, else the profile's. */
  public int plannedWidth() {
    return width > 0 ? width : "paper".equals(profile) ? 32 : 16;
  }

  private TrainConfig baseConfig() {
    TrainConfig.Builder b = (config != null ? config
        : TrainConfig.profile(profile != null ? profile : "standard").build())
        .toBuilder().optSeed(seed).optThreads(threads).optPrecision(plannedPrecision());
    if (minutes > 0) {
      b.optBudgetMinutes(minutes);
    }
    if (normalize != null) {
      b.optNormalize(normalize);
    }
    if (scale != null) {
      b.optScale(scale);
    }
    return b.build();
  }

  /** The job for a set; {@code source} says where the set came from, for the run's record. */
  private TrainingJob job(TrainingSet set, String source) {
    TrainingJob job = new TrainingJob(set, source, method(),
        new TrainingData.Selection(Dataset.TRAIN, strongFraction, validationFraction, seed),
        baseConfig())
        .optWidth(plannedWidth()).optDepth(depth)
        .optProfileName(profile != null ? profile : config != null ? "custom" : "standard")
        .optRestart(restart);
    listeners.forEach(job::addListener);
    return job;
  }

  /**
   * Trains (or resumes the run in {@code runDir}) and returns where training got to.
   *
   * @param source where the set came from, recorded with the run (e.g. a folder, "memory")
   */
  public TrainingResult run(TrainingSet set, String source, Path runDir) throws IOException {
    long start = startedAt != null ? startedAt : System.nanoTime();
    TrainingJob job = job(set, source);
    job.optBudget(TimeBudget.of(baseConfig().budgetMinutes(), start));
    TrainingData data = job.load(loading);
    for (TrainingListener l : listeners) {
      l.onDataLoaded(data.train().size(), data.strongIds().size(), data.validation().size());
    }
    return job.run(runDir, data);
  }

  /** Trains (or resumes) into {@code runDir} and opens the best checkpoint. */
  public SegmentationModel train(TrainingSet set, Path runDir) throws IOException {
    run(set, "memory", runDir);
    return SegmentationModel.open(runDir, SegmentationModel.Options.DEFAULT.withThreads(threads)
        .withPrecision(plannedPrecision()));
  }
}
