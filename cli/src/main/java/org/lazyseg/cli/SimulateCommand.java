package org.lazyseg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.weak.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lazyseg simulate}: derives lazy labels from a fully labelled dataset. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    header = "Derive lazy labels (partial masks, scribbles, sizes, tags) from full ground truth.",
    description = "Writes a dataset in which a seeded fraction of the training images keeps its strong masks and the others carry only cheap labels derived from the truth (docs/methods.md, Simulated lazy labels). Test images and their masks are copied untouched; OUT/overlays/ shows the cheap labels. Same seed, same output.")
final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "DATA", description = "Dataset with full ground truth.")
  Path from;

  @Option(names = "--out", required = true, paramLabel = "DATA2", description = "New dataset folder (must not hold one already).")
  Path out;

  @Option(names = "--strong", defaultValue = "0.1", paramLabel = "F", description = "Fraction of training images keeping strong masks. Default: ${DEFAULT-VALUE}.")
  double strong;

  @Option(names = "--partial", defaultValue = "1.0", paramLabel = "F", description = "Fraction of training images given partial masks. Default: ${DEFAULT-VALUE}.")
  double partial;

  @Option(names = "--scribbles", defaultValue = "1.0", paramLabel = "F", description = "Fraction of training images given separation scribbles. Default: ${DEFAULT-VALUE}.")
  double scribbles;

  @Option(names = "--sizes", description = "Write sizes.csv (object size of each training image).")
  boolean sizes;

  @Option(names = "--tags", description = "Write tags.csv (class present / absent per training image).")
  boolean tags;

  @Option(names = "--mix", paramLabel = "KIND=SHARE,...", description = "A mixed dataset: shares of the training images per label kind (strong, partial = a partial mask with its scribbles, scribbles, sizes, tags), e.g. strong=0.05,partial=0.6,tags=0.35; each image gets one kind, the rest none (seeded). Replaces --strong, --partial, --scribbles, --sizes and --tags. The summary line gives the annotation cost (docs/methods.md, Annotation cost).")
  String mix;

  @Option(names = "--no-overlays", negatable = false, description = "Skip the overlay pictures.")
  boolean noOverlays;

  @Option(names = "--pseudo", description = "Also write pseudo/ID.png for every training image with a partial mask: GrabCut grown from the partial mask (the pseudo-label baseline), in the convention of masks/.")
  boolean pseudo;

  @Option(names = "--threads", paramLabel = "N", description = "Images processed at once for --pseudo (the output does not depend on it). Default: the number of processors.")
  Integer threads;

  @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() {
    PrintWriter log = spec.commandLine().getErr();
    fraction("--strong", strong);
    fraction("--partial", partial);
    fraction("--scribbles", scribbles);
    if (threads != null && (threads < 1 || threads > 4 * Runtime.getRuntime().availableProcessors())) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be between 1 and "
          + 4 * Runtime.getRuntime().availableProcessors() + " (4 per core), not " + threads);
    }
    Simulator.Options options;
    int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    try {
      if (mix != null) {
        for (String other : new String[] {"--strong", "--partial", "--scribbles", "--sizes",
            "--tags"}) {
          if (spec.commandLine().getParseResult().hasMatchedOption(other)) {
            throw new IllegalArgumentException("--mix replaces " + other + "; give one of them");
          }
        }
        options = Simulator.Options.ofMix(Simulator.Mix.parse(mix), !noOverlays, seed, pseudo,
            threadCount);
      } else {
        options = new Simulator.Options(strong, partial, scribbles, sizes, tags, !noOverlays,
            seed, pseudo, threadCount);
      }
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Dataset data = Dataset.open(from);
    Simulator.Summary s;
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("simulate")
        .setInitialMax(data.samples().size()).setStyle(ProgressBarStyle.ASCII)
        .continuousUpdate().build()) {
      s = Simulator.simulate(data, out, options, (done, total, id) -> {
            bar.maxHint(total);
            bar.stepTo(done);
          });
    }
    log.println("lazyseg: " + out + ": " + s);
    log.flush();
    return 0;
  }

  private void fraction(String option, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          option + " must be a fraction in [0, 1], not " + value);
    }
  }
}
