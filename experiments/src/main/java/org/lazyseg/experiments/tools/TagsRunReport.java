package org.lazyseg.experiments.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.train.method.ImageTags;
import org.lazyseg.train.method.Methods;
import org.lazyseg.train.method.TagsEvaluation;
import org.lazyseg.train.predict.Predictor;

/**
 * Prints paper 003's Table I column for one run trained with {@code --method tags}:
 * {@code bench/tool TagsRunReport RUN DATA [SPLIT] [PICTURES]}.
 */
public final class TagsRunReport {
  private TagsRunReport() {}

  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    Dataset data = Dataset.open(Path.of(args[1]));
    String split = args.length > 2 ? args[2] : "test";
    Path pictures = args.length > 3 ? Path.of(args[3]) : null;
    ImageTags method = (ImageTags) Methods.ofRun(run);
    System.out.println("run " + run + " " + method.options());
    for (int stage = 0; stage <= method.refineRounds(); stage++) {
      String checkpoint = method.checkpointOfStage(run, stage);
      if (checkpoint == null) {
        System.out.println("stage " + stage + ": not reached");
        continue;
      }
      long t = System.nanoTime();
      Path pics = pictures == null ? null : pictures.resolve("stage" + stage);
      if (pics != null) {
        Files.createDirectories(pics);
      }
      try (Predictor p = Predictor.open(run, checkpoint)) {
        TagsEvaluation.Scores s = TagsEvaluation.evaluate(p, method, data.samples(split), pics);
        System.out.printf(Locale.ROOT,
            "stage %d (%s): images %d (%d with objects)  raw Dice %.4f  voted Dice %.4f  "
                + "accuracy %.4f  (%.0f s)%n", stage, checkpoint, s.images(), s.withObjects(),
            s.rawDice(), s.votedDice(), s.accuracy(), (System.nanoTime() - t) / 1e9);
      }
    }
  }
}
