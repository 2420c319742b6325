package org.lazyseg.train.engine;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.lazyseg.core.image.Channels;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Probabilities;
import org.lazyseg.train.CheckpointState;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Recovery;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.Task;
import org.lazyseg.train.data.Augmenter;
import org.lazyseg.train.data.Batch;
import org.lazyseg.train.data.BatchProducer;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.loss.MultiTaskLoss;
import org.lazyseg.train.loss.Objective;
import ai.djl.nn.Block;
import org.lazyseg.train.nn.Parameters;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.predict.Predictor;

/**
 * The one training loop: rounds of epochs of Adam steps on augmented random crops, with
 * validation, best-so-far tracking and resume. What happens to a finished epoch is up to the
 * {@link TrainingListener}s: the run installs its own first, a {@code CheckpointWriter}
 * (RUN/checkpoints/last and best) and a {@code MetricsLog} (RUN/metrics.csv, curves.png),
 * always, and a {@link LoopTiming#toFile()} (RUN/timing.csv) when the system property
 * {@value LoopTiming#PROPERTY} is true; listeners added with {@link #addListener} come after.
 *
 * <pre>{@code
 * TrainingResult r = new TrainingRun(runDir, spec, TrainConfig.profile("quick").build())
 *     .addListener(progress)
 *     .run(trainExamples, validationExamples);
 * }</pre>
 *
 * <p>Running again on the same folder resumes after the last checkpointed epoch (finished
 * epochs are not redone), once {@link Recovery} has tidied what a kill left and set aside a
 * damaged checkpoint (resuming from the newest intact one); the folder's model.json then wins
 * over the given spec. Batches of
 * epoch e come from seed (config seed, e), so they are the same with or without a resume.
 */
public final class TrainingRun {
  private final RunFolder folder;
  private final ModelSpec requestedSpec;
  private final TrainConfig config;
  /** The run's own listeners first, then those added. */
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final CheckpointWriter checkpoints = new CheckpointWriter();
  private RoundHook roundHook;
  private Objective objective;
  private RoundOptimizer.Schedule optimizerSchedule = round -> RoundOptimizer.SAME;
  private Path initialModel;
  /** The planned run's limit (null: the config's minutes, counted from the start). */
  private TimeBudget budget;
  private long reserveNanos;

  public TrainingRun(Path runDir, ModelSpec spec, TrainConfig config) {
    this.folder = new RunFolder(runDir);
    this.requestedSpec = spec;
    this.config = config;
    // The checkpoint first: its rename commits the epoch and its state records the metrics
    // row, which a start adds when a kill came before the row (RunFolder's class comment).
    listeners.add(checkpoints);
    listeners.add(new MetricsLog());
    if (LoopTiming.requested()) {
      listeners.add(LoopTiming.toFile());
    }
  }

  /** Called after the run's own listeners (checkpoints, metrics, timing), in this order. */
  public TrainingRun addListener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  public TrainingRun optRoundHook(RoundHook hook) {
    this.roundHook = hook;
    return this;
  }

  /**
   * Starts a new run from the parameters of a checkpoint folder (e.g. {@code
   * OTHER_RUN/checkpoints/best}) instead of random weights; its model spec (normalisation
   * included) wins over the given one, whose tasks and channels it must have. Ignored when
   * the run resumes from its own checkpoint. Adam's state starts from zero.
   */
  public TrainingRun optInitialModel(Path checkpoint) {
    this.initialModel = checkpoint;
    return this;
  }

  /** What each step minimises; without one, the multi-task cross-entropy of the tasks. */
  public TrainingRun optObjective(Objective objective) {
    this.objective = objective;
    return this;
  }

  /**
   * Adam's learning rate and restarts per round (default: the config's rate throughout, one
   * Adam state for the whole run). A resumed run carries on the Adam state that its last
   * checkpoint saved.
   */
  public TrainingRun optOptimizerSchedule(RoundOptimizer.Schedule schedule) {
    this.optimizerSchedule = schedule;
    return this;
  }

  /**
   * The time limit as a point in time (e.g. the whole command's), instead of the config's
   * minutes counted from the start of {@link #run}. A run given a limited budget plans its
   * epochs to fit ({@link EpochPlan}): every round and epoch runs, each with as many steps
   * (at most the config's) as the time allows, and {@code reserveNanos} of the budget are left
   * for the work after the run (a seed search); it stops early, as any run, only when even
   * that does not fit. Without a limit the run is step-bounded as without this call.
   */
  public TrainingRun optBudget(TimeBudget budget, long reserveNanos) {
    this.budget = budget.limited() ? budget : null;
    this.reserveNanos = Math.max(0, reserveNanos);
    return this;
  }

  /** Trains (or resumes) and returns where it got to. */
  public TrainingResult run(List<Example> trainExamples, List<Example> validationExamples)
      throws IOException {
    try (java.io.Closeable lock = folder.lock()) {
      return runLocked(trainExamples, validationExamples, Recovery.of(folder));
    }
  }

  private TrainingResult runLocked(List<Example> trainExamples,
      List<Example> validationExamples, Recovery recovery) throws IOException {
    long started = System.nanoTime();
    long deadline = budget != null ? budget.end() - reserveNanos
        : config.budgetMinutes() > 0 ? started + (long) (config.budgetMinutes() * 60e9)
        : Long.MAX_VALUE;
    configureThreads(config.threads());
    Files.createDirectories(folder.checkpoints());

    Path lastCheckpoint = folder.checkpoint(RunFolder.LAST);
    CheckpointState resumed = lastCheckpoint == null ? null
        : RunFolder.read(lastCheckpoint.resolve(RunFolder.STATE), CheckpointState.class);
    CheckpointState initial = resumed != null || initialModel == null ? null
        : RunFolder.read(initialModel.resolve(RunFolder.STATE), CheckpointState.class);
    if (initial != null && (!initial.spec().tasks().equals(requestedSpec.tasks())
        || initial.spec().channels() != requestedSpec.channels())) {
      throw new IllegalArgumentException("initial model " + initialModel + " has tasks "
          + initial.spec().tasks() + " and " + initial.spec().channels()
          + " channels; this run needs " + requestedSpec.tasks() + " and "
          + requestedSpec.channels());
    }
    if (resumed != null) {
      String differs = differences(resumed.spec(), requestedSpec);
      String kind = resumed.spec().normalization().kind();
      if (requestedSpec.normalization() == null && config.normalize() != null
          && !kind.equals(config.normalize())) {
        differs += (differs.isEmpty() ? "" : "; ") + "normalisation " + kind + ", now "
            + config.normalize();
      }
      if (!differs.isEmpty()) {
        throw new RunFolder.ConflictException(folder.root() + " holds a run of another network"
            + " (" + differs + "); train into a new folder to start afresh");
      }
    }
    ModelSpec spec = resumed != null ? resumed.spec()
        : initial != null ? initial.spec() : withNormalization(trainExamples);
    List<Example> train = adapt(trainExamples, spec.channels());
    List<Example> validation = adapt(validationExamples, spec.channels());
    int tile = roundUp(config.validationTile() > 0 ? config.validationTile() : config.crop(),
        spec.sizeMultiple());
    RunFolder.write(folder.modelFile(), new RunFolder.SavedModel(spec, tile));

    Engine.getInstance().setRandomSeed((int) config.seed());
    try (Model model = Model.newInstance("lazyseg-unet")) {
      Block block = spec.newBlock(config.precision());
      model.setBlock(block);
      if (resumed != null) {
        // Loaded before initialize(): initialisation then skips these parameters.
        Parameters.load(block, lastCheckpoint.resolve(RunFolder.PARAMETERS),
            model.getNDManager());
      } else if (initial != null) {
        Parameters.load(block, initialModel.resolve(RunFolder.PARAMETERS),
            model.getNDManager());
      }
      // One learning-rate cell that the loop sets per round; the tracker reads it each step.
      float[] learningRate = {(float) config.learningRate()};
      Tracker tracker = update -> learningRate[0];
      Shape input = new Shape(config.batch(), spec.channels(), config.crop(), config.crop());
      MultiTaskLoss loss = new MultiTaskLoss(spec.tasks());
      Trainers trainers = new Trainers(adam -> {
        // Parameters that already exist (restored, or trained by an earlier trainer of this
        // run) are kept by initialize(); only the new trainer's Adam moments start at zero.
        Trainer t = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam));
        t.initialize(input);
        return t;
      }, () -> new ResumableAdam(tracker));
      checkpoints.optimizer(trainers::adam);
      try (trainers;
          Predictor predictor = Predictor.of(block, spec, model.getNDManager(), tile)
              .setWholeImagePixels(Predictor.wholeImagePixels(spec))) {
        return loop(trainers, learningRate, loss, block, spec, predictor, train, validation,
            resumed, recovery, deadline);
      }
    }
  }

  /** The loss stopped being a finite number; the message says where and what may help. */
  public static final class DivergedException extends RuntimeException {
    DivergedException(String message) {
      super(message);
    }
  }

  /** What differs between a run's network and the one asked for, "" when nothing does. */
  static String differences(ModelSpec run, ModelSpec asked) {
    List<String> d = new ArrayList<>();
    if (run.channels() != asked.channels()) {
      d.add("input channels " + run.channels() + ", now " + asked.channels());
    }
    if (!run.tasks().equals(asked.tasks())) {
      d.add("tasks " + run.tasks().stream().map(Task::name).toList() + ", now "
          + asked.tasks().stream().map(Task::name).toList());
    }
    if (run.width() != asked.width()) {
      d.add("width " + run.width() + ", now " + asked.width());
    }
    if (run.depth() != asked.depth()) {
      d.add("depth " + run.depth() + ", now " + asked.depth());
    }
    if (!run.network().equals(asked.network())) {
      d.add("network " + run.network() + ", now " + asked.network());
    }
    return String.join("; ", d);
  }

  /**
   * Gives {@code adam} the state that checkpoint last saved, unless training is over or the
   * next epoch starts a round that restarts Adam anyway; returns a line to tell when the state
   * is missing or damaged (Adam then starts from zero, as every resume did before it was
   * saved), else null.
   */
  private String restoreAdam(ResumableAdam adam, Block block, CheckpointState resumed) {
    int next = resumed.epoch() + 1;
    if (next > config.epochs() || restartsAdam(next)) {
      return null;
    }
    Path file = folder.checkpoints().resolve(RunFolder.LAST).resolve(RunFolder.OPTIMIZER);
    String afresh = "; Adam's moments start from zero (the weights are restored exactly)";
    if (resumed.optimizerBytes() == 0) {
      return "checkpoint " + file.getParent() + " holds no Adam state (written by an older"
          + " LazySeg)" + afresh;
    }
    if (!Files.isRegularFile(file)) {
      // Recovery resumed from best, which is kept without it
      return "checkpoint " + file.getParent() + " holds no Adam state" + afresh;
    }
    try {
      String damage = RunFolder.mismatch(file, resumed.optimizerBytes(),
          resumed.optimizerCrc32c());
      if (damage != null) {
        return damage + afresh;
      }
      adam.restore(block, file);
      return null;
    } catch (IOException e) {
      return e.getMessage() + afresh;
    }
  }

  /** Whether {@code epoch} starts a round whose schedule asks for a fresh Adam. */
  private boolean restartsAdam(int epoch) {
    return (epoch - 1) % config.epochsPerRound() == 0
        && optimizerSchedule.inRound((epoch - 1) / config.epochsPerRound()).fresh();
  }

  /** The run's current trainer; {@link #restart} replaces it by one with a fresh Adam. */
  private static final class Trainers implements AutoCloseable {
    private final Function<ResumableAdam, Trainer> factory;
    private final Supplier<ResumableAdam> optimizers;
    private ResumableAdam adam;
    private Trainer current;

    Trainers(Function<ResumableAdam, Trainer> factory, Supplier<ResumableAdam> optimizers) {
      this.factory = factory;
      this.optimizers = optimizers;
      this.adam = optimizers.get();
      this.current = factory.apply(adam);
    }

    Trainer current() {
      return current;
    }

    ResumableAdam adam() {
      return adam;
    }

    void restart() {
      current.close();
      current = null; // so that close() does not close it again if the factory throws
      adam.close();
      adam = optimizers.get();
      current = factory.apply(adam);
    }

    @Override
    public void close() {
      if (current != null) {
        current.close();
      }
      adam.close();
    }
  }

  /** What an "auto" strong share settles to on these examples; null for a given share. */
  private String strongDraws(List<Example> train) {
    if (!Double.isNaN(config.strongShare())) {
      return null;
    }
    int strong = BatchProducer.strongCount(train);
    int slots = BatchProducer.strongSlots(Double.NaN, strong, train.size(), config.batch());
    return String.format(java.util.Locale.ROOT, "batches: %s (strong-share auto: %d of %d"
        + " training images strongly labelled, uniform draws would leave %.0f%% of the batches"
        + " without one)", slots == 0 ? "uniform draws" : slots + " crop of each from the"
        + " strongly labelled images", strong, train.size(),
        100 * BatchProducer.withoutStrongCrop(strong, train.size(), config.batch()));
  }

  private TrainingResult loop(Trainers trainers, float[] learningRate, MultiTaskLoss loss,
      Block block, ModelSpec spec, Predictor predictor, List<Example> train,
      List<Example> validation, CheckpointState resumed, Recovery recovery, long deadline)
      throws IOException {
    int doneEpochs = resumed == null ? 0 : resumed.epoch();
    long steps = resumed == null ? 0 : resumed.steps();
    // (A best whose checkpoint is lost is tracked anew, so that best is written again.)
    boolean keepBest = resumed != null && !recovery.bestLost();
    double bestScore = keepBest ? resumed.bestScore() : Double.NEGATIVE_INFINITY;
    int bestEpoch = keepBest ? resumed.bestEpoch() : 0;
    TrainingStart start = new TrainingStart(folder, spec, config, doneEpochs, resumed);
    String strongDraws = strongDraws(train);
    String adamNote = resumed == null ? null : restoreAdam(trainers.adam(), block, resumed);
    for (TrainingListener l : listeners) {
      recovery.notes().forEach(l::onMessage);   // damaged checkpoints, where it resumes
      if (adamNote != null) {
        l.onMessage(adamNote);
      }
      if (strongDraws != null) {
        l.onMessage(strongDraws);
      }
      l.onStart(start);
    }
    Augmenter augmenter = new Augmenter(config.crop(), config.effectiveAugmentation(),
        spec.normalization());
    int tasks = spec.tasks().size();
    Objective goal = objective != null ? objective
        : Objective.pixelTargets(loss);

    int resumeRound = doneEpochs / config.epochsPerRound();
    if (roundHook != null && doneEpochs > 0 && resumeRound > 0
        && doneEpochs < config.epochs()) {
      roundHook.afterRound(resumeRound - 1, predictor, train);
    }
    boolean outOfTime = false;
    // What follows an epoch's steps (validation, checkpoints, listeners, the round hook), as
    // the previous epoch took it: the steps stop early enough for it to fit the budget too.
    long tailNanos = 0;
    long stepsAtStart = steps;
    int firstEpoch = doneEpochs + 1;
    // A run with a budget plans its epochs' steps; one without trains the config's steps.
    Planner planner = budget == null ? null
        : new Planner(budget, deadline, reserveNanos, config, firstEpoch, roundHook, predictor,
            train);
    if (planner != null && !validation.isEmpty()) {
      validation = planner.fitValidation(validation, spec, listeners);
    }
    for (int epoch = firstEpoch; epoch <= config.epochs() && !outOfTime; epoch++) {
      long epochStart = System.nanoTime();
      int stepsThisEpoch = config.stepsPerEpoch();
      if (planner != null) {
        stepsThisEpoch = planner.epochStarts(epoch, listeners);
      }
      int round = (epoch - 1) / config.epochsPerRound();
      RoundOptimizer plan = optimizerSchedule.inRound(round);
      learningRate[0] = (float) (config.learningRate() * plan.learningRateFactor()
          * config.learningRateFactor(epoch));
      if (restartsAdam(epoch) && epoch > firstEpoch) {
        // (at the first epoch of this JVM the trainer is new anyway)
        trainers.restart();
      }
      if (validation.isEmpty() && epoch > 1 && (epoch - 1) % config.epochsPerRound() == 0) {
        // Without validation images the score is the training loss, comparable only within
        // a round (objectives and targets may change between rounds): a new best per round.
        bestScore = Double.NEGATIVE_INFINITY;
      }
      double lossSum = 0;
      int epochSteps = 0;
      for (TrainingListener l : listeners) {
        l.onEpochStart(epoch, round);
      }
      try (BatchProducer producer = new BatchProducer(train, augmenter, config.batch(), tasks,
          mixSeed(config.seed(), epoch), config.workers(), config.strongShare())) {
        while (epochSteps < stepsThisEpoch) {
          // At least one step per call, so that even a tiny budget leaves a checkpoint.
          if (steps > stepsAtStart && (planner != null ? planner.outOfTime()
              : System.nanoTime() + tailNanos > deadline)) {
            outOfTime = true;
            break;
          }
          for (TrainingListener l : listeners) {
            l.onBatchRequested();
          }
          Batch batch = producer.next();
          for (TrainingListener l : listeners) {
            l.onBatchReady();
          }
          float value = trainStep(trainers.current(), batch, goal, round);
          if (!Float.isFinite(value)) {
            // Weights are updated from this loss already: nothing of this epoch is kept.
            throw new DivergedException("training diverged: the loss is " + value + " at step "
                + (steps + 1) + " (epoch " + epoch + "); the checkpoints of the epochs before"
                + " are kept. A lower learning rate (--lr) or smaller labels (object sizes)"
                + " usually help" + Precision.cpuFaultWarning().map(w -> "; but " + w)
                .orElse(""));
          }
          lossSum += value;
          epochSteps++;
          steps++;
          if (planner != null) {
            stepsThisEpoch = planner.stepDone(epochSteps, stepsThisEpoch, listeners);
          }
          for (TrainingListener l : listeners) {
            l.onStep(steps, value);
          }
        }
      }
      for (TrainingListener l : listeners) {
        l.onStepsEnd(epoch);
      }
      if (epochSteps == 0) {
        break;
      }
      long stepsEnd = System.nanoTime();
      double[] val = validate(predictor, spec, validation);
      double score = validation.isEmpty() ? -lossSum / epochSteps : val[1];
      boolean best = score > bestScore;
      if (best) {
        bestScore = score;
        bestEpoch = epoch;
      }
      EpochStats stats = new EpochStats(epoch, round, lossSum / epochSteps, val[0], val[1],
          (System.nanoTime() - epochStart) / 1e9, epochSteps);
      CheckpointState state = new CheckpointState(epoch, round, bestScore, bestEpoch, steps,
          config, spec, MetricsLog.row(stats), 0, null, 0, null);
      EpochEnd end = new EpochEnd(stats, state, best, block);
      for (TrainingListener l : listeners) {
        l.onEpochEnd(end);   // checkpoints and metrics first: see the constructor
      }
      doneEpochs = epoch;
      boolean roundEnds = epoch % config.epochsPerRound() == 0 && epoch < config.epochs();
      if (planner != null) {
        planner.epochEnded(epochSteps);
        if (roundEnds && !outOfTime && !planner.hookFits(round)) {
          outOfTime = true;   // the re-labelling would end past the budget: stop here
          String line = String.format(java.util.Locale.ROOT, "time budget: the round end"
              + " after round %d (about %.0f s) would end past the budget; training stops"
              + " after %d of %d rounds", round, planner.hookSeconds(round), round + 1,
              config.rounds());
          listeners.forEach(l -> l.onMessage(line));
        }
      }
      if (roundHook != null && roundEnds && !outOfTime) {
        if (planner != null) {
          planner.hookStarts();
        }
        roundHook.afterRound(round, predictor, train);
        if (planner != null) {
          planner.hookEnded(round);
        }
      }
      tailNanos = System.nanoTime() - stepsEnd;
    }
    return new TrainingResult(folder.root(), doneEpochs, steps, bestScore, bestEpoch,
        outOfTime || planner != null && planner.shortened());
  }

  /**
   * The plan of a run with a budget ({@link EpochPlan}): times the steps, what each epoch
   * takes besides them and each round hook, and shares the time left out anew at every
   * epoch's start (and once a few steps into the first).
   */
  static final class Planner {
    /** Steps timed before the first plan (the first step of a start is not timed). */
    static final int CALIBRATION_STEPS = 3;
    /** The most of a budgeted run's time per epoch that validation may take. */
    static final double VALIDATION_SHARE = 0.25;
    private final TimeBudget budget;
    private final long loopEnd;
    private final long reserveNanos;
    private final TrainConfig config;
    private final RoundHook hook;
    private final Predictor predictor;
    private final List<Example> train;
    /** Estimated hook time per round index (-1: not asked yet). */
    private final long[] estimates;
    private long stepNanosSum;
    private int timedSteps;
    /** An epoch's first step (it also starts the batch preparation), while none else is timed. */
    private long firstStepNanos;
    private long lastStepEnd;
    private long epochStart;
    private long hookStart;
    private long epochNanos;
    private long workingHookSum, idleHookSum, lastWorkingHook;
    private int workingHooks, idleHooks;
    private int epoch;
    private boolean planned;
    private boolean shortened;
    private long lastStepNanos;

    Planner(TimeBudget budget, long loopEnd, long reserveNanos, TrainConfig config,
        int firstEpoch, RoundHook hook, Predictor predictor, List<Example> train) {
      this.budget = budget;
      this.loopEnd = loopEnd;
      this.reserveNanos = reserveNanos;
      this.config = config;
      this.hook = hook;
      this.predictor = predictor;
      this.train = train;
      this.epoch = firstEpoch;
      this.estimates = new long[config.rounds()];
      java.util.Arrays.fill(estimates, -1);
    }

    /**
     * Times the validation of one image and scales it by pixels, so that the first plan
     * counts validation already (else it is known only after the first epoch, when one pass
     * over many large images may have overrun a short budget). Where validating every image
     * each epoch would take more than {@link #VALIDATION_SHARE} of the time per epoch left,
     * evenly spaced images that fit it are validated instead (at least one; said once).
     */
    List<Example> fitValidation(List<Example> validation, ModelSpec spec,
        List<TrainingListener> listeners) {
      long t0 = budget.now();
      validate(predictor, spec, validation.subList(0, 1));
      double perPixel = (budget.now() - t0) / (double) pixels(validation.subList(0, 1));
      double all = perPixel * pixels(validation);
      int epochsLeft = Math.max(1, config.epochs() - epoch + 1);
      double allowed = VALIDATION_SHARE * (loopEnd - budget.now()) / epochsLeft;
      List<Example> kept = validation;
      if (all > allowed) {
        int n = validation.size();
        int k = Math.max(1, Math.min(n, (int) (n * allowed / all)));
        kept = new java.util.ArrayList<>(k);
        for (int i = 0; i < k; i++) {
          kept.add(validation.get((int) ((long) i * n / k)));
        }
        String line = String.format(java.util.Locale.ROOT, "time budget: validating %d of %d"
            + " images each epoch (all of them would take about %.0f s an epoch, more than %.0f%%"
            + " of the time per epoch left)", k, n, all / 1e9, 100 * VALIDATION_SHARE);
        listeners.forEach(l -> l.onMessage(line));
      }
      epochNanos = (long) (perPixel * pixels(kept));
      return kept;
    }

    private static long pixels(List<Example> examples) {
      long sum = 0;
      for (Example e : examples) {
        sum += (long) e.image().width() * e.image().height();
      }
      return Math.max(1, sum);
    }

    /** The steps of the epoch that starts (the config's until a step has been timed). */
    int epochStarts(int epoch, List<TrainingListener> listeners) {
      this.epoch = epoch;
      epochStart = budget.now();
      lastStepEnd = epochStart;
      return stepNanos() == 0 ? config.stepsPerEpoch() : plan(0, listeners);
    }

    /** After each step: the epoch's (possibly new) step count. */
    int stepDone(int doneInEpoch, int current, List<TrainingListener> listeners) {
      long now = budget.now();
      lastStepNanos = now - lastStepEnd;
      if (doneInEpoch > 1) {
        stepNanosSum += lastStepNanos;
        timedSteps++;
      } else if (timedSteps == 0) {
        firstStepNanos = lastStepNanos;
      }
      lastStepEnd = now;
      if (!planned && timedSteps >= CALIBRATION_STEPS) {
        return plan(doneInEpoch, listeners);
      }
      return current;
    }

    /** Measured time of a step; 0 before any. */
    private long stepNanos() {
      return timedSteps > 0 ? stepNanosSum / timedSteps : firstStepNanos;
    }

    private int plan(int doneInEpoch, List<TrainingListener> listeners) {
      long step = stepNanos();
      int epochsLeft = config.epochs() - epoch + 1;
      int round = (epoch - 1) / config.epochsPerRound();
      int hooksLeft = hook == null ? 0 : Math.max(0, config.rounds() - 1 - round);
      long hooks = 0;
      for (int r = round; r < round + hooksLeft; r++) {
        hooks += hookNanos(r);
      }
      long left = loopEnd - budget.now();
      int steps = EpochPlan.steps(left, epochsLeft, doneInEpoch, step, epochNanos, hooks,
          config.stepsPerEpoch());
      EpochPlan plan = new EpochPlan(epoch, config.rounds(), config.epochsPerRound(), steps,
          config.stepsPerEpoch(), step / 1e9, epochNanos / 1e9, hooks / 1e9, hooksLeft,
          reserveNanos / 1e9, left / 1e9);
      shortened |= plan.shortened();
      boolean first = !planned;
      planned = true;
      for (TrainingListener l : listeners) {
        if (first) {
          l.onMessage(plan.describe());
        }
        l.onPlan(plan);
      }
      return steps;
    }

    /**
     * The expected time of the hook after {@code round}: once hooks that work have run, the
     * longer of their mean and the latest, else the hook's own estimate.
     */
    private long hookNanos(int round) {
      if (estimates[round] < 0) {
        estimates[round] = Math.max(0, hook.estimateNanos(round, predictor, train));
      }
      if (estimates[round] > 0) {
        // The latest when it is the longer: re-labelling grows with the labels.
        return workingHooks > 0 ? Math.max(lastWorkingHook, workingHookSum / workingHooks)
            : estimates[round];
      }
      return idleHooks > 0 ? idleHookSum / idleHooks : 0;
    }

    /** Once the epoch's validation, checkpoints and listeners are over. */
    void epochEnded(int epochSteps) {
      epochNanos = Math.max(0, budget.now() - epochStart - epochSteps * stepNanos());
    }

    double hookSeconds(int round) {
      return hook == null ? 0 : hookNanos(round) / 1e9;
    }

    /**
     * Whether the hook after {@code round} is expected to end before the loop must. Only a
     * measured time says no: a hook's own guess may be far off, and stopping on it could
     * throw away most of the budget.
     */
    boolean hookFits(int round) {
      if (hook == null) {
        return true;
      }
      long expected = hookNanos(round);
      boolean measured = estimates[round] != 0 ? workingHooks > 0 : idleHooks > 0;
      return !measured || budget.now() + expected <= loopEnd;
    }

    void hookStarts() {
      hookStart = budget.now();
    }

    void hookEnded(int round) {
      long nanos = budget.now() - hookStart;
      if (estimates[round] != 0) {
        workingHookSum += nanos;
        workingHooks++;
        lastWorkingHook = nanos;
      } else {
        idleHookSum += nanos;
        idleHooks++;
      }
    }

    /** Whether one more step and the epoch's end would go past the loop's end. */
    boolean outOfTime() {
      return budget.now() + lastStepNanos + epochNanos > loopEnd;
    }

    boolean shortened() {
      return shortened;
    }
  }

  /**
   * One Adam step; all arrays of the step live and die in its own scope. Public so that
   * speed benchmarks time exactly the step training runs.
   */
  public static float trainStep(Trainer trainer, Batch batch, Objective objective, int round) {
    try (NDManager step = trainer.getManager().newSubManager()) {
      int n = batch.size(), s = batch.crop();
      NDArray x = step.create(batch.images(), new Shape(n, batch.channels(), s, s));
      float value;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList predictions = trainer.forward(new NDList(x));
        NDArray loss = objective.loss(predictions, batch, round);
        collector.backward(loss);
        value = loss.getFloat();
      }
      try {
        trainer.step();
      } catch (IllegalStateException e) {
        // DJL checks the gradients of a trainer's first step and refuses all-zero ones. An
        // objective may legitimately give none (object sizes: no single flip of the sampled
        // masks changes their size); such a step changes nothing, and the check runs again.
        if (e.getMessage() == null || !e.getMessage().startsWith("Gradient values are all zeros")) {
          throw e;
        }
      }
      return value;
    }
  }

  /** One step on the trainer's own loss over the batch's pixel targets. */
  public static float trainStep(Trainer trainer, Batch batch) {
    return trainStep(trainer, batch, Objective.pixelTargets(trainer.getLoss()), 0);
  }

  /**
   * {valLoss, valDice}: the multi-task loss pooled over labelled validation pixels, and the
   * mean per-image Dice of the first head's foreground; NaN without validation images.
   */
  static double[] validate(Predictor predictor, ModelSpec spec, List<Example> validation) {
    if (validation.isEmpty()) {
      return new double[] {Double.NaN, Double.NaN};
    }
    List<Task> tasks = spec.tasks();
    int[] heads = new int[tasks.size()];
    for (int t = 0; t < heads.length; t++) {
      heads[t] = t;
    }
    double[] nll = new double[heads.length];
    long[] counted = new long[heads.length];
    double diceSum = 0;
    int diceCount = 0;
    for (Example e : validation) {
      float[][][] p = predictor.probabilities(e.image(), heads);
      for (int t = 0; t < heads.length; t++) {
        LabelImage target = t < e.targets().length ? e.targets()[t] : null;
        if (target == null) {
          continue;
        }
        int[] y = target.data();
        for (int i = 0; i < y.length; i++) {
          if (y[i] != LabelImage.IGNORE) {
            nll[t] -= Math.log(Math.max(1e-12, p[t][y[i]][i]));
            counted[t]++;
          }
        }
      }
      LabelImage target = e.targets().length > 0 ? e.targets()[0] : null;
      if (target != null) {
        diceSum += dice(Probabilities.argmax(p[0], e.image().width(), e.image().height()), target);
        diceCount++;
      }
    }
    double loss = 0;
    for (int t = 0; t < heads.length; t++) {
      loss += counted[t] == 0 ? 0 : tasks.get(t).alpha() * nll[t] / counted[t];
    }
    return new double[] {loss, diceCount == 0 ? Double.NaN : diceSum / diceCount};
  }

  /** Dice of foreground (label > 0) over the pixels the target does not IGNORE. */
  public static double dice(LabelImage predicted, LabelImage target) {
    int[] p = predicted.data(), t = target.data();
    long both = 0, sum = 0;
    for (int i = 0; i < t.length; i++) {
      if (t[i] == LabelImage.IGNORE) {
        continue;
      }
      boolean a = p[i] > 0, b = t[i] > 0;
      both += a && b ? 1 : 0;
      sum += (a ? 1 : 0) + (b ? 1 : 0);
    }
    return sum == 0 ? 1.0 : 2.0 * both / sum;
  }

  /**
   * The requested spec with the normalisation it fixes, else of the config's kind (or
   * {@link Normalization#DEFAULT_KIND}).
   */
  private ModelSpec withNormalization(List<Example> train) {
    if (requestedSpec.normalization() != null) {
      return requestedSpec;
    }
    String kind = config.normalize() != null ? config.normalize() : Normalization.DEFAULT_KIND;
    if (kind.equals(Normalization.PERCENTILE)) {
      return requestedSpec.withNormalization(Normalization.percentile(requestedSpec.channels()));
    }
    List<FloatImage> images = new ArrayList<>();
    for (Example e : train) {
      images.add(Channels.adapt(e.image(), requestedSpec.channels()));
    }
    return requestedSpec.withNormalization(Normalization.fromImages(images));
  }

  /** Same examples with images of the model's channel count; targets arrays are shared. */
  private static List<Example> adapt(List<Example> examples, int channels) {
    List<Example> out = new ArrayList<>(examples.size());
    for (Example e : examples) {
      out.add(e.image().channels() == channels ? e
          : new Example(e.id(), Channels.adapt(e.image(), channels), e.targets(),
              e.imageLabels()));
    }
    return out;
  }

  /**
   * PyTorch reads these properties when the engine starts; if it has already started, set
   * the intra-op count directly (JniUtils is runtime-only, hence reflection).
   */
  public static void configureThreads(int threads) {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    Engine.getInstance(); // starts the engine (loading the native library) if needed
    try {
      Class.forName("ai.djl.pytorch.jni.JniUtils").getMethod("setNumThreads", int.class)
          .invoke(null, threads);
    } catch (ReflectiveOperationException | LinkageError e) {
      // Not the PyTorch engine: nothing to configure.
    }
  }

  static long mixSeed(long seed, long epoch) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xD1B54A32D192ED03L;
    z = (z ^ (z >>> 29)) * 0xBF58476D1CE4E5B9L;
    return z ^ (z >>> 32);
  }

  private static int roundUp(int v, int m) {
    return (v + m - 1) / m * m;
  }
}
