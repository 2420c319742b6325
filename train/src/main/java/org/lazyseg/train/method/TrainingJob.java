package org.lazyseg.train.method;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.DatasetException;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Augmentation;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.engine.EpochPlan;
import org.lazyseg.train.engine.TimeBudget;
import org.lazyseg.train.engine.TrainingListener;
import org.lazyseg.train.engine.TrainingResult;
import org.lazyseg.train.engine.TrainingRun;

/**
 * One method trained on one dataset folder into one run folder: the strong subset, the
 * examples, a network with the method's heads, its objective and round hook, and the shared
 * loop (which resumes an interrupted run). {@code lazyseg train} and experiments both train
 * through here, so a run means the same thing from either.
 *
 * <pre>{@code
 * TrainingJob job = new TrainingJob(Dataset.open(dir), Methods.byName("multitask"),
 *     new TrainingData.Selection("train", 0.094, 0.1, 0), TrainConfig.profile("quick").build());
 * TrainingResult r = job.run(runDir, job.load(ProgressCallback.NONE));
 * }</pre>
 */
public final class TrainingJob {
  /**
   * What a run was trained on and with, written to RUN/{@value #RECORD_FILE} for people and
   * tools. {@code methodOptions} are the method's settings after training (some settle then);
   * {@code startOptions} those it started with, which a resume must repeat (null in runs of
   * versions before it was recorded). {@code minArea} is the least object area (pixels) of
   * the predictions, derived from the annotated objects of the training images
   * ({@link #leastObjectArea}); 0 keeps every object (also for runs recorded before it
   * existed). {@code precision} is what the network computed in at the latest start (fp32 or
   * bf16; null before it was recorded, which means fp32), {@code cpuBf16Flags} the CPU's bf16
   * instructions then. {@code anneal} is the share of the last epochs whose learning rate fell
   * ({@link TrainConfig#anneal}, after the method's default; 0 = constant rate), which a
   * resume must repeat (null before it was recorded); {@code augmentation} likewise the crops'
   * random transforms ({@link TrainConfig#effectiveAugmentation}, after the method's default).
   * {@code scale} is the working scale the network saw the images at ({@link WorkingScale};
   * null before it was recorded, which means 1), which a resume must repeat and segmenting
   * applies; {@code minArea} is in the input's pixels either way.
   */
  public record Record(String data, String method, Map<String, String> methodOptions,
      String profile, double strongFraction, long seed, List<String> classes,
      List<String> strongIds, List<String> validationIds, int minArea,
      Map<String, String> startOptions, String precision, List<String> cpuBf16Flags,
      Double anneal, Augmentation augmentation, Double scale) {
    /** The working scale; 1 for runs recorded before it existed. */
    public double workingScale() {
      return scale == null ? 1 : scale;
    }
  }

  public static final String RECORD_FILE = "training-data.json";

  /**
   * What a time-limited run planned and got, written to RUN/{@value #PLAN_FILE} when it
   * starts and again when it ends (docs/methods.md, Time budgets). Seconds are wall-clock.
   *
   * @param budgetSeconds the whole budget (of the command, when a front end counts from its
   *     start)
   * @param leftSeconds what this phase had when its training started (after loading; a
   *     first phase of two its share by steps)
   * @param phase "pretrain" (the first of two phases, RUN/pretrain) or "train"
   * @param reserveSeconds kept after training for {@link Method#afterTraining} (the seed search)
   * @param firstPlan the first plan of the epochs' steps; null before it was made
   * @param lastPlan the last one
   * @param rounds rounds of the run
   * @param roundsCompleted rounds whose last epoch finished (after the end)
   * @param epochs epochs finished (after the end)
   * @param steps steps trained in all (after the end)
   * @param stoppedByBudget whether the budget shortened or stopped the training
   * @param afterTrainingSeconds what {@link Method#afterTraining} took (after the end)
   * @param notes what the run did on its own because of the time (one line each)
   * @param leftAtEndSeconds time left of the budget when the phase ended (negative: over)
   */
  public record Plan(double budgetSeconds, double leftSeconds, String phase,
      double reserveSeconds, EpochPlan firstPlan, EpochPlan lastPlan,
      int rounds, int roundsCompleted, int epochs, long steps, boolean stoppedByBudget,
      double afterTrainingSeconds, List<String> notes, double leftAtEndSeconds) {}

  public static final String PLAN_FILE = "plan.json";

  private final TrainingSet data;
  private final String source;
  private final Method method;
  private final TrainingData.Selection selection;
  private final TrainConfig given;
  private final TrainConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private int width = 16;
  private int depth = 4;
  private String profileName = "custom";
  private Path pretrained;
  private boolean restart;
  private TimeBudget budget;
  private String phaseName = "train";

  /** Trains on split {@code selection.trainSplit()} of a dataset folder. */
  public TrainingJob(Dataset data, Method method, TrainingData.Selection selection,
      TrainConfig config) {
    this(data.trainingSet(selection.trainSplit()), data.dir().toAbsolutePath().toString(),
        method, selection, config);
  }

  /**
   * Trains on a training set ({@code selection.trainSplit()} is not used); {@code source}
   * says where the set came from, for the run's record.
   */
  public TrainingJob(TrainingSet data, String source, Method method,
      TrainingData.Selection selection, TrainConfig config) {
    this.data = data;
    this.source = source;
    this.method = method.forData(data);
    this.selection = selection;
    this.given = config;
    this.config = this.method.adjust(config);
  }

  public TrainingJob optWidth(int width) {
    this.width = width;
    return this;
  }

  public TrainingJob optDepth(int depth) {
    this.depth = depth;
    return this;
  }

  /** The profile's name, recorded with the run. */
  public TrainingJob optProfileName(String name) {
    this.profileName = name;
    return this;
  }

  /**
   * Starts afresh even where {@code runDir} holds a training (of this or another kind): its
   * contents are moved aside first ({@link RunFolder#setAside}), never deleted.
   */
  public TrainingJob optRestart(boolean restart) {
    this.restart = restart;
    return this;
  }

  /**
   * The time limit as a point in time (e.g. since the command started), handed down to every
   * phase: the pre-training phase gets its share, the training loop plans its epochs
   * ({@link EpochPlan}) to end when the work after training ({@link Method#afterTraining})
   * still fits, and that work stops by the end. Without this call, a config with
   * {@link TrainConfig#budgetMinutes} counts them from the start of {@link #run}.
   */
  public TrainingJob optBudget(TimeBudget budget) {
    this.budget = budget;
    return this;
  }

  public TrainingJob addListener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /** The settings the run uses: the given config after the method's adjustments. */
  public TrainConfig config() {
    return config;
  }

  /**
   * Starts from the best checkpoint of this finished run instead of random weights (and
   * instead of the method's own {@link Method#pretraining} phase), e.g. a pre-training run
   * an experiment shares between settings.
   */
  public TrainingJob optPretrained(Path run) {
    this.pretrained = run;
    return this;
  }

  /**
   * Loads the examples (the slow part before training; reports per image), shrunk to the
   * working scale: the config's, or for {@link TrainConfig#AUTO_SCALE} the one
   * {@link WorkingScale#auto} finds in the selected training images.
   */
  public TrainingData load(ProgressCallback progress) {
    double scale = config.scale();
    boolean auto = Double.isNaN(scale);
    if (auto) {
      scale = WorkingScale.auto(selected().train(), data.classNames().size(), config.crop());
    }
    if (scale != 1) {   // at 1 nothing changes, so nothing is said
      String line = "working scale " + scale + (auto ? " (auto: from the annotated objects'"
          + " sizes and the crop of " + config.crop() + " px)" : "")
          + ": images and labels shrunk by it";
      listeners.forEach(l -> l.onMessage(line));
    }
    return loadAt(scale, progress);
  }

  /** The training set with the strong masks of the selection's share (no image is read). */
  private TrainingSet selected() {
    return data.withStrongFraction(selection.strongFraction(), selection.seed());
  }

  private TrainingData loadAt(double scale, ProgressCallback progress) {
    Map<String, LabeledImage> truth = new java.util.HashMap<>();
    data.train().forEach(i -> truth.put(i.id(), i));
    return TrainingData.load(selected(), method, selection.validationFraction(), selection.seed(),
        truth, scale, progress);
  }

  /**
   * The data at the working scale of the run in {@code runDir} when this job's scale is
   * {@link TrainConfig#AUTO_SCALE} and that run has one of its own that differs (a run
   * recorded before the working scale existed has 1): a resumed run keeps the scale it
   * started at, as it keeps its normalisation. Else {@code td}.
   */
  private TrainingData atResumedScale(Path runDir, TrainingData td) {
    Path recordFile = runDir.resolve(RECORD_FILE);
    if (!Double.isNaN(config.scale()) || new RunFolder(runDir).checkpoint(RunFolder.LAST) == null
        || !Files.isRegularFile(recordFile)) {
      return td;
    }
    double own = RunFolder.read(recordFile, Record.class).workingScale();
    if (own == td.scale()) {
      return td;
    }
    String line = "resuming at the run's own working scale " + own + " (auto now gives "
        + td.scale() + ")";
    listeners.forEach(l -> l.onMessage(line));
    return loadAt(own, ProgressCallback.NONE);
  }

  /** The method trained: the given one with its data-dependent settings settled. */
  public Method method() {
    return method;
  }

  /** Folder of the pre-training phase inside a run, see {@link Method#pretraining}. */
  public static final String PRETRAIN_DIR = "pretrain";

  /**
   * Trains into {@code runDir}, or resumes the run there. A method with a
   * {@link Method#pretraining} phase first trains (or resumes) that phase into
   * {@code runDir/pretrain} with the same selection, settings and listeners, unless this run
   * already has a checkpoint (then the first phase is over), and starts from its best
   * checkpoint. Under a time limit the phases share it by their steps
   * ({@link #phaseShare}): the first ends by its share, the second has the rest.
   */
  public TrainingResult run(Path runDir, TrainingData td) throws IOException {
    try (java.io.Closeable lock = new RunFolder(runDir).lock()) {
      if (restart) {
        Path aside = new RunFolder(runDir).setAside();
        if (aside != null) {
          listeners.forEach(l -> l.onMessage("set the earlier training aside in " + aside));
        }
      }
      td = atResumedScale(runDir, td);
      checkResumable(runDir, td);
      TimeBudget b = budget != null ? budget
          : TimeBudget.of(config.budgetMinutes(), System.nanoTime());
      return runLocked(runDir, td, b);
    }
  }

  /**
   * Refuses to resume a run of another method, dataset or classes (the network itself is
   * compared by the training loop): a run folder holds one training.
   */
  private void checkResumable(Path runDir, TrainingData td) {
    Path recordFile = runDir.resolve(RECORD_FILE);
    if (new RunFolder(runDir).checkpoint(RunFolder.LAST) == null
        || !Files.isRegularFile(recordFile)) {
      return;
    }
    Record before = RunFolder.read(recordFile, Record.class);
    List<String> differs = new ArrayList<>();
    if (!method.name().equals(before.method())) {
      differs.add("method " + before.method() + ", now " + method.name());
    }
    if (before.classes() != null && !before.classes().equals(data.classNames())) {
      differs.add("classes " + before.classes() + ", now " + data.classNames());
    }
    if (before.data() != null && !before.data().equals(source) && !"memory".equals(source)
        && !"memory".equals(before.data())) {
      differs.add("data " + before.data() + ", now " + source);
    }
    if (before.startOptions() != null && !before.startOptions().equals(method.options())) {
      differs.add("settings " + changed(before.startOptions(), method.options()));
    }
    if (before.anneal() != null && before.anneal() != config.annealedShare()) {
      differs.add("anneal " + before.anneal() + ", now " + config.annealedShare());
    }
    if (before.augmentation() != null
        && !before.augmentation().equals(config.effectiveAugmentation())) {
      differs.add("augmentation " + before.augmentation().label() + ", now "
          + config.effectiveAugmentation().label());
    }
    if (before.workingScale() != td.scale()) {
      differs.add("working scale " + before.workingScale() + ", now " + td.scale());
    }
    if (before.strongFraction() != selection.strongFraction()) {
      differs.add("strong fraction " + before.strongFraction() + ", now " + selection.strongFraction());
    }
    if (before.seed() != selection.seed()) {
      differs.add("seed " + before.seed() + ", now " + selection.seed());
    }
    if (before.profile() != null && !before.profile().equals(profileName)) {
      differs.add("profile " + before.profile() + ", now " + profileName);
    }
    if (!differs.isEmpty()) {
      throw new RunFolder.ConflictException(runDir + " holds another training ("
          + String.join("; ", differs) + "); train into a new folder, or --restart to set the"
          + " old one aside and start afresh here");
    }
  }

  /** The settings whose values differ, as {@code key a -> b}. */
  private static String changed(Map<String, String> before, Map<String, String> now) {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(before.keySet());
    keys.addAll(now.keySet());
    List<String> parts = new ArrayList<>();
    for (String k : keys) {
      if (!java.util.Objects.equals(before.get(k), now.get(k))) {
        parts.add(k + " " + before.get(k) + " -> " + now.get(k));
      }
    }
    return String.join(", ", parts);
  }

  private TrainingResult runLocked(Path runDir, TrainingData td, TimeBudget b)
      throws IOException {
    Path start = pretrained;
    Method first = method.pretraining();
    if (start == null && first != null) {
      start = runDir.resolve(PRETRAIN_DIR);
      if (new RunFolder(runDir).checkpoint(RunFolder.LAST) == null) {
        TrainingJob phase = new TrainingJob(data, source, first, selection, given)
            .optWidth(width).optDepth(depth).optProfileName(profileName);
        phase.phaseName = PRETRAIN_DIR;
        // The phases share the time by their steps (what is left over goes to the second).
        double share = phaseShare(phase.config(), config);
        TimeBudget firstBudget = b.share(share);
        if (b.limited()) {
          String line = String.format(Locale.ROOT, "time budget: %.1f min left; phase 1 (%s)"
              + " gets %.1f min, phase 2 the rest", b.remainingNanos() / 60e9, PRETRAIN_DIR,
              firstBudget.remainingNanos() / 60e9);
          listeners.forEach(l -> l.onMessage(line));
        }
        listeners.forEach(phase::addListener);
        phase.optBudget(firstBudget).run(start, phase.load(ProgressCallback.NONE));
      }
    }
    Path initial = null;
    if (start != null) {
      initial = new RunFolder(start).checkpoint(RunFolder.BEST);
      if (initial == null) {
        throw new IOException("no checkpoint '" + RunFolder.BEST + "' in " + start
            + " to start from");
      }
    }
    int classes = data.classNames().size();
    int minArea = WorkingScale.fullResolutionArea(
        leastObjectArea(td, data.classNames().size()), td.scale());
    ModelSpec.Builder spec = ModelSpec.builder().setChannels(td.channels())
        .optWidth(width).optDepth(depth).optNetwork(method.network());
    method.tasks(classes).forEach(spec::addTask);
    ModelSpec built = spec.build();

    Files.createDirectories(runDir);
    writeRecord(runDir, td, method, minArea);
    TrainingRun run = new TrainingRun(runDir, built, config)
        .optObjective(method.objective(built.tasks(), config))
        .optRoundHook(method.roundHook(td, runDir, config))
        .optOptimizerSchedule(round -> method.roundOptimizer(round, config))
        .optInitialModel(initial);
    List<String> notes = new ArrayList<>();
    EpochPlan[] plans = new EpochPlan[2];
    double left = b.limited() ? b.remainingNanos() / 1e9 : 0;
    long reserve = b.limited()
        ? (long) (Math.max(0, b.remainingNanos()) * method.afterTrainingShare()) : 0;
    if (b.limited()) {
      run.optBudget(b, reserve);
      String line = String.format(Locale.ROOT, "time budget: %.1f min of %.1f left for %s"
          + " (%d round%s x %d epoch%s x at most %d steps)%s", left / 60,
          b.totalNanos() / 60e9, phaseName.equals(PRETRAIN_DIR) ? "phase 1" : "training",
          config.rounds(), config.rounds() == 1 ? "" : "s", config.epochsPerRound(),
          config.epochsPerRound() == 1 ? "" : "s", config.stepsPerEpoch(),
          reserve > 0 ? String.format(Locale.ROOT, ", %.0f s of it kept for the seed search"
              + " after training", reserve / 1e9) : "");
      listeners.forEach(l -> l.onMessage(line));
      run.addListener(new TrainingListener() {
        @Override
        public void onPlan(EpochPlan plan) {
          if (plans[0] == null) {
            plans[0] = plan;
            writePlan(runDir, b, left, reserve, plans, null, 0, notes);
          }
          plans[1] = plan;
        }

        @Override
        public void onMessage(String message) {
          if (message.startsWith("time budget:")) {
            notes.add(message);   // what the time made the run do
          }
        }
      });
      writePlan(runDir, b, left, reserve, plans, null, 0, notes);
    }
    listeners.forEach(run::addListener);
    List<Example> drawn = drawnExamples(td.train(), method, config,
        line -> listeners.forEach(l -> l.onMessage(line)));
    TrainingResult result = run.run(drawn, td.validation());
    long afterStart = System.nanoTime();
    Method trained = method.afterTraining(runDir, td, b, note -> {
      notes.add(note);
      listeners.forEach(l -> l.onMessage(note));
    });
    writeRecord(runDir, td, trained, minArea);   // the options may now hold settled values
    if (b.limited()) {
      writePlan(runDir, b, left, reserve, plans, result,
          (System.nanoTime() - afterStart) / 1e9, notes);
    }
    return result;
  }

  /**
   * The training examples the batches draw from: those {@code method}
   * {@link Method#learnsFrom} with this config's crop, all of them (the same list) when none
   * is left out; a left-out count goes to {@code note}.
   *
   * @throws DatasetException when none is left
   */
  static List<Example> drawnExamples(
      List<Example> train, Method method, TrainConfig config,
      Consumer<String> note) {
    Map<Boolean, List<Example>> parts = train.stream().collect(
        Collectors.partitioningBy(e -> method.learnsFrom(e, config)));
    List<Example> kept = List.copyOf(parts.get(true));
    if (kept.size() == train.size()) {
      return train;
    }
    int largest = parts.get(false).stream()
        .mapToInt(e -> Math.max(e.image().width(), e.image().height())).max().orElse(0);
    String why = (train.size() - kept.size()) + " of " + train.size() + " training images"
        + " have only labels of the whole image (an object size, tags saying a class is"
        + " present), and no training crop holds them whole (crop " + config.crop() + " px"
        + (config.effectiveAugmentation().resamples() ? ", resampled by the augmentation" : "")
        + ")";
    String use = "-O crop=" + largest + (config.effectiveAugmentation().resamples()
        ? " with --augment basic" : "") + " would use them";
    if (kept.isEmpty()) {
      throw new DatasetException("method '" + method.name()
          + "' finds nothing to learn from: " + why + "; " + use);
    }
    note.accept(why + ": not trained on (they would take places in the batches with no"
        + " loss); " + use);
    return kept;
  }

  /**
   * The first phase's share of the time: its steps over both phases' (the second phase's
   * config is this job's, after its method's changes).
   */
  static double phaseShare(TrainConfig first, TrainConfig second) {
    double a = (double) first.epochs() * first.stepsPerEpoch();
    double c = (double) second.epochs() * second.stepsPerEpoch();
    return a / (a + c);
  }

  private void writePlan(Path runDir, TimeBudget b, double leftAtStart, long reserve,
      EpochPlan[] plans, TrainingResult result, double afterSeconds, List<String> notes) {
    try {
      int epochs = result == null ? 0 : result.epochs();
      RunFolder.write(runDir.resolve(PLAN_FILE), new Plan(b.totalNanos() / 1e9, leftAtStart,
          phaseName, reserve / 1e9, plans[0], plans[1], config.rounds(),
          epochs / config.epochsPerRound(), epochs, result == null ? 0 : result.steps(),
          result != null && result.stoppedByBudget(), afterSeconds, List.copyOf(notes),
          result == null ? leftAtStart : b.remainingNanos() / 1e9));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + runDir.resolve(PLAN_FILE), e);
    }
  }

  private void writeRecord(Path runDir, TrainingData td, Method trained, int minArea)
      throws IOException {
    RunFolder.write(runDir.resolve(RECORD_FILE), new Record(
        source, trained.name(), trained.options(), profileName,
        selection.strongFraction(), selection.seed(), data.classNames(),
        td.strongIds().stream().sorted().toList(),
        td.validation().stream().map(e -> e.id()).toList(), minArea, method.options(),
        config.precision().label(), org.lazyseg.train.nn.Precision.cpuBf16Flags(),
        config.annealedShare(), config.effectiveAugmentation(), td.scale()));
  }


  /**
   * The least object area the run's predictions keep, in the pixels of the training data:
   * from the objects of the strong masks trained on, else from the cores of the partial
   * masks (which are smaller than their objects, so the area stays on the safe side); 0 when
   * the run has neither (tags).
   */
  static int leastObjectArea(TrainingData td, int classes) {
    return org.lazyseg.core.ops.Components.leastObjectArea(
        WorkingScale.annotatedObjects(td.images().values(), classes));
  }
}
