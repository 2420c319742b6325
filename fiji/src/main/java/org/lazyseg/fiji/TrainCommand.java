package org.lazyseg.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.plugin.PlugIn;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.lazyseg.api.Training;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.engine.EpochStats;
import org.lazyseg.train.engine.TrainingListener;
import org.lazyseg.train.engine.TrainingResult;
import org.lazyseg.train.engine.TrainingStart;
import org.lazyseg.train.method.Method;
import org.lazyseg.train.method.Methods;

/**
 * "LazySeg Train" ({@code train}) trains a model on a dataset folder's labels through {@link
 * Training}, into a model (run) folder: the method chosen from the labels present ({@link
 * MethodChoice}) or named; in the background with ImageJ's progress bar (Esc or "LazySeg
 * Cancel Training" stops it after the current step, keeping the last finished epoch), a Log
 * line per epoch and the training curve in a window; run it again on the same model folder
 * and it resumes. From a macro it waits until training ends (unless {@code background}):
 * {@code run("LazySeg Train", "dataset=[DIR] model=[RUN] method=auto profile=quick minutes=5")}
 * ({@code threads=N} limits the CPU threads; 0, the default, uses all this process may use;
 * {@code normalize=dataset|percentile} names the input normalisation, see
 * {@link Normalization}; {@code default}, the default, leaves it to the method).
 * "LazySeg Cancel Training" ({@code cancel}) stops the training that runs.
 */
public final class TrainCommand implements PlugIn {
  /** The Normalize choice that leaves it to the method (percentile; tags: dataset). */
  static final String DEFAULT_NORMALIZATION = "default";
  static final String COMMAND = "LazySeg Train";
  private static volatile Task running;

  @Override
  public void run(String arg) {
    if ("cancel".equals(arg)) {
      Task t = running;
      if (t == null) {
        Commands.log("no training is running");
      } else {
        t.cancel();
        Commands.log("training will stop after the current step");
      }
      return;
    }
    Commands.run(COMMAND, this::train);
  }

  private void train() throws IOException {
    ImagePlus imp = WindowManager.getCurrentImage();
    String dataset = Commands.defaultDataset(imp);
    List<String> methods = new ArrayList<>(List.of("auto"));
    Methods.all().forEach(m -> methods.add(m.name()));
    Options o = Options.of(COMMAND)
        .addFolder("Dataset folder", dataset)
        .addFolder("Model folder (a run folder; an existing one resumes)",
            dataset.isEmpty() ? Commands.lastModel() : dataset + "-model")
        .addChoice("Method", methods.toArray(new String[0]), "auto")
        .addChoice("Profile", new String[] {"quick", "standard", "paper"}, "quick")
        .addNumber("Minutes (0 = the profile's budget)", 0, 1)
        .addNumber(Commands.THREADS, 0, 0)
        .addChoice("Normalize (default: the method's; dataset: the training images' mean and"
            + " std; percentile: each image's own 1st-99.8th percentile)",
            new String[] {DEFAULT_NORMALIZATION, Normalization.DATASET, Normalization.PERCENTILE},
            DEFAULT_NORMALIZATION)
        .addText("Scale (working scale; empty or auto: from the annotated objects' sizes;"
            + " or a factor in (0, 1] the images are shrunk by)", "")
        .addText("Settings of the method (key=value, comma-separated)", "")
        .addCheckbox("restart (set an earlier training in the folder aside, start afresh)",
            false)
        .addCheckbox("background (do not wait; Esc or LazySeg Cancel Training stops it)",
            !Options.fromMacro());
    if (!o.show()) {
      return;
    }
    Path data = Commands.folder("dataset", o.text());
    Path run = Commands.folder("model", o.text());
    String method = o.choice();
    String profile = o.choice();
    double minutes = o.number();
    double threadsOption = o.number();
    String normalize = o.choice();
    if (DEFAULT_NORMALIZATION.equals(normalize)) {
      normalize = null;
    }
    Double scale = scale(o.text());
    String settings = o.text();
    boolean restart = o.checkbox();
    boolean background = o.checkbox();
    if (!(minutes >= 0)) {
      throw new Images.Problem("minutes must be a number >= 0");
    }
    int threads = Commands.threads(threadsOption);
    if (running != null) {
      throw new Images.Problem("a training is running already (LazySeg Cancel Training stops it)");
    }
    Commands.rememberDataset(data.toString());
    Commands.rememberModel(run.toString());
    TrainingSet set = Dataset.open(data).trainingSet(Dataset.TRAIN);
    if (method.equals("auto")) {
      String choice = MethodChoice.forLabels(set.kinds(), set.classNames().size());
      method = choice.substring(0, choice.indexOf(':'));
      Commands.log("method " + choice);
    }
    Training training = Training.of(method).optProfile(profile).optMinutes(minutes)
        .optSettings(settings(settings)).optRestart(restart).optThreads(threads)
        .optNormalization(normalize).optScale(scale);
    Method m = training.method();   // checks the settings now, before the thread starts
    Commands.warnAboutTheCpu();
    Task task = new Task(run, data, m.name());
    training.addListener(task);
    running = task;
    if (!background) {
      task.train(training, set);
    } else {
      Thread thread = new Thread(() -> Commands.run(COMMAND, () -> task.train(training, set)),
          "LazySeg training");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** The working scale field: null (empty), NaN (auto) or a factor in (0, 1]. */
  static Double scale(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return null;
    }
    try {
      return org.lazyseg.train.TrainConfig.parseScale(t);
    } catch (IllegalArgumentException e) {
      throw new Images.Problem("the working scale must be empty, auto or a number in (0, 1], not '"
          + t + "'");
    }
  }

  /** "a=1, b=2" as a map; a piece without '=' is an error. */
  static Map<String, String> settings(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String piece : text.split(",")) {
      if (piece.isBlank()) {
        continue;
      }
      int eq = piece.indexOf('=');
      if (eq <= 0) {
        throw new Images.Problem("setting '" + piece.trim() + "' is not key=value");
      }
      out.put(piece.substring(0, eq).trim(), piece.substring(eq + 1).trim());
    }
    return out;
  }

  /** Waits for the training that runs in the background, if any (for tests and macros). */
  static void awaitIdle(long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (running != null && System.currentTimeMillis() < end) {
      Thread.sleep(50);
    }
  }

  /** One training: its progress, cancel flag and curve window. */
  static final class Task implements TrainingListener {
    private final Path run;
    private final Path data;
    private final String method;
    private volatile boolean cancelled;
    private long totalSteps = 1;
    private long firstStep;
    private long started;
    private double budgetNanos;
    private long lastStatus;

    Task(Path run, Path data, String method) {
      this.run = run;
      this.data = data;
      this.method = method;
    }

    void cancel() {
      cancelled = true;
    }

    void train(Training training, TrainingSet set) throws IOException {
      IJ.resetEscape();
      try {
        TrainingResult r = training.run(set, data.toString(), run);
        Commands.log(String.format(Locale.ROOT, "%s trained %d epochs (%d steps), best epoch %d"
            + "%s; model in %s (LazySeg Segment model=[%s])", method, r.epochs(), r.steps(),
            r.bestEpoch(), r.stoppedByBudget() ? ", stopped by the time budget" : "", run, run));
      } catch (CancellationException e) {
        boolean any = Files.isDirectory(run.resolve("checkpoints").resolve("last"));
        Commands.log("training cancelled; " + (any ? "the model of the last finished epoch is"
            + " in " + run + ", and LazySeg Train on that folder resumes" : "no epoch had"
            + " finished, so there is no model yet"));
      } finally {
        running = null;
        IJ.showProgress(1, 1);
      }
    }

    @Override
    public void onStart(TrainingStart start) {
      totalSteps = Math.max(1, (long) start.config().epochs() * start.config().stepsPerEpoch());
      firstStep = start.resumed() == null ? 0 : start.resumed().steps();
      started = System.nanoTime();
      budgetNanos = start.config().budgetMinutes() * 60e9;
      Commands.log(start.doneEpochs() > 0
          ? "resuming " + method + " in " + run + " after epoch " + start.doneEpochs()
          : "training " + method + " into " + run + " (" + start.config().epochs()
              + " epochs of " + start.config().stepsPerEpoch() + " steps"
              + (budgetNanos > 0 ? String.format(Locale.ROOT, ", at most %.2f min",
                  start.config().budgetMinutes()) : "") + "; Esc stops it)");
    }

    @Override
    public void onDataLoaded(int trainImages, int strongImages, int validationImages) {
      Commands.log(trainImages + " training images (" + strongImages + " with strong outlines), "
          + validationImages + " validation images");
    }

    @Override
    public void onMessage(String message) {
      Commands.log(message);
    }

    @Override
    public void onStep(long step, float loss) {
      if (IJ.escapePressed()) {
        cancelled = true;
      }
      if (cancelled) {
        throw new CancellationException("cancelled");
      }
      double done = (double) (step - firstStep) / Math.max(1, totalSteps - firstStep);
      if (budgetNanos > 0) {
        done = Math.max(done, (System.nanoTime() - started) / budgetNanos);
      }
      IJ.showProgress(Math.min(1, done));
      long now = System.nanoTime();
      if (now - lastStatus > 1_000_000_000L) {
        lastStatus = now;
        IJ.showStatus(String.format(Locale.ROOT, "LazySeg: step %d, loss %.4f (Esc stops)",
            step, loss));
      }
    }

    @Override
    public void onEpochEnd(EpochStats s) {
      Commands.log(String.format(Locale.ROOT, "epoch %d: train loss %.4f%s, %.1f s", s.epoch(),
          s.trainLoss(), Double.isNaN(s.valDice()) ? ""
              : String.format(Locale.ROOT, ", validation Dice %.3f", s.valDice()), s.seconds()));
      showCurve();
    }

    /** The run's curves.png in a window of its own, replaced after every epoch. */
    private void showCurve() {
      Path png = run.resolve("curves.png");
      if (GraphicsEnvironment.isHeadless() || !Files.isRegularFile(png)) {
        return;
      }
      ImagePlus curve = IJ.openImage(png.toString());
      if (curve == null) {
        return;
      }
      ImagePlus shown = WindowManager.getImage("LazySeg training curve");
      if (shown != null) {
        shown.setProcessor(curve.getProcessor());
      } else {
        curve.setTitle("LazySeg training curve");
        curve.show();
      }
    }
  }
}
