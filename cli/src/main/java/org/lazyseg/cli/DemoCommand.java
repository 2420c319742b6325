package org.lazyseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.OutputFolder;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.ImageScores;
import org.lazyseg.core.synth.FoamGenerator;
import org.lazyseg.core.weak.Overlays;
import org.lazyseg.core.weak.Simulator;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.api.Training;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.predict.Segmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lazyseg demo}: the whole product on an embedded default, nothing to prepare.
 * Synthetic foam images -> lazy labels -> multi-task training -> segmentation -> Dice.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Run the whole pipeline on generated foam images: lazy labels, training, segmentation, Dice.",
    description = "Generates touching, textured blobs of two classes (bubbles and crystals) with ground truth, keeps strong masks for a few training images and derives partial masks and scribbles for all of them, trains the multi-task network, segments the held-out images and prints Dice. Writes the data, the run (with curves.png), predictions and overlay pictures (image | truth | prediction) under --out.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ThreadOptions threads;
  @Mixin PrecisionOption precision;

  @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output folder. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--minutes", defaultValue = "3", paramLabel = "M", description = "Training time budget. Default: ${DEFAULT-VALUE}.")
  double minutes;

  @Option(names = "--train-images", defaultValue = "24", paramLabel = "N", description = "Generated training images. Default: ${DEFAULT-VALUE}.")
  int trainImages;

  @Option(names = "--test-images", defaultValue = "6", paramLabel = "N", description = "Generated held-out images. Default: ${DEFAULT-VALUE}.")
  int testImages;

  @Option(names = "--strong", defaultValue = "0.25", paramLabel = "F", description = "Fraction of training images keeping strong masks. Default: ${DEFAULT-VALUE}.")
  double strong;

  @Option(names = "--method", defaultValue = "multitask", paramLabel = "NAME", description = "Training method. Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of everything. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getErr();
    Path truth = out.resolve("foam-truth");
    Path data = out.resolve("data");
    Path run = out.resolve("run");
    Path pred = out.resolve("predictions");
    // A folder with foam-truth/ is a demo folder of a version that left no marker.
    OutputFolder.claim(out, "lazyseg demo", Files.isDirectory(truth), null);
    if (!Files.isDirectory(truth.resolve("images"))) {
      log.printf(Locale.ROOT, "demo: generating %d + %d foam images in %s%n", trainImages, testImages, truth);
      log.flush();
      new FoamGenerator().writeDataset(truth, trainImages, testImages, seed);
    }
    if (!Files.isDirectory(data.resolve("images"))) {
      Simulator.Summary s = Simulator.simulate(Dataset.open(truth), data,
          new Simulator.Options(strong, 1.0, 1.0, false, false, true, seed), (d, t, id) -> {});
      log.println("demo: lazy labels in " + data + ": " + s);
      log.flush();
    }
    Dataset lazy = Dataset.open(data);
    Training training = Training.of(method).optProfile("quick").optSeed(seed)
        .optThreads(threads.threads()).optMinutes(minutes).optPrecision(precision.precision())
        .optConfig(TrainConfig.profile("quick").setEpochs(100).setStepsPerEpoch(25).build());
    TrainConfig planned = training.plannedConfig();
    log.println("demo: " + precision.describe());
    try (ProgressListener progress = new ProgressListener(log, new RunFolder(run).nextEpoch(),
        planned.epochs(), planned.stepsPerEpoch(), System.console() != null)) {
      training.addListener(progress)
          .run(lazy.trainingSet(Dataset.TRAIN), data.toAbsolutePath().toString(), run);
    }
    Dataset truthData = Dataset.open(truth);
    int classes = truthData.classNames().size();
    List<ImageScores> scores = new ArrayList<>();
    try (SegmentationModel model = SegmentationModel.open(run,
        SegmentationModel.Options.DEFAULT.withThreads(threads.threads())
            .withPrecision(precision.precision()))) {
      log.println("demo: " + model.describe());
      for (Sample s : truthData.samples("test")) {
        FloatImage image = s.loadImage();
        LabelImage expected = s.loadClasses();
        Segmentation seg = model.segment(image);
        LabelImage predicted = seg.classes();
        ImageFiles.writeLabels(predicted, pred.resolve(s.id() + ".png"));
        ImageFiles.writeInstances(seg.instances(), pred.resolve("instances"), s.id());
        scores.add(ImageScores.of(s.id(), expected, predicted, classes));
        Overlays.sideBySide(image.width(), image.height(), Overlays.grey(image),
                Overlays.overlay(image, expected), Overlays.overlay(image, predicted))
            .write(out.resolve("overlays").resolve(s.id() + ".png"));
      }
    }
    Evaluation e = Evaluation.of(scores);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println(e.toSummaryJson());
    stdout.flush();
    double[] classDice = e.mean().classDice().orElse(new double[0]);
    log.printf(Locale.ROOT, "%ndemo: test Dice %.3f (%s), object Dice %.3f on %d held-out images%n",
        e.mean().dice(), perClass(truthData.classNames(), classDice), e.mean().objectDice(), scores.size());
    log.printf("demo: overlays (image | truth | prediction) in %s%n", out.resolve("overlays"));
    log.printf("demo: training curves in %s%n", new RunFolder(run).curvesFile());
    log.flush();
    return 0;
  }

  private static String perClass(List<String> names, double[] dice) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < dice.length && k < names.size(); k++) {
      b.append(k == 0 ? "" : ", ").append(names.get(k)).append(String.format(Locale.ROOT, " %.3f", dice[k]));
    }
    return b.toString();
  }
}
