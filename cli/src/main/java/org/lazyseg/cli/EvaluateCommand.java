package org.lazyseg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.EvaluationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lazyseg evaluate}: scores predicted label images against the truth. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    header = "Score predicted label images against the truth; prints one JSON object.",
    description = "Matches files by name (a.png predicts a.png). Label images: 0 background, other values instances; a 0/255 mask is split into 4-connected components. Prints the mean over images of foreground Dice, foreground IoU, GlaS object Dice, GlaS object Hausdorff (Euclidean, pixels) and instance count error (|predicted - true objects|), separation precision and recall pooled over images (touching objects kept apart; docs/methods.md, Measures), plus per-class Dice when --classes is above 1.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--pred", required = true, paramLabel = "DIR", description = "Folder of predicted label images.")
  Path pred;

  @Option(names = "--truth", required = true, paramLabel = "DIR",
      description = "Folder of true label images (e.g. a dataset's masks/ folder); every one needs a prediction.")
  Path truth;

  @Option(names = "--classes", defaultValue = "1", paramLabel = "K",
      description = "Number of foreground classes; above 1 the images hold class ids and per-class Dice is reported (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--per-image", description = "Also list every image's scores (key images).")
  boolean perImage;

  @Override
  public Integer call() {
    Limits.classes(spec, "--classes", classes);
    Evaluation e;
    try {
      e = Evaluation.compare(pred, truth, classes);
    } catch (EvaluationException ex) {
      throw new LazySeg.InputException(ex.getMessage());
    }
    spec.commandLine().getOut().println(perImage ? e.toJson() : e.toSummaryJson());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
