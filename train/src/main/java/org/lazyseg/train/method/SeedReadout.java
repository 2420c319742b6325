package org.lazyseg.train.method;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.lazyseg.core.weak.SeedThreshold;
import org.lazyseg.train.engine.TimeBudget;
import org.lazyseg.train.predict.Predictor;

/**
 * The read-out choice of the methods that can grow seeds ({@code prediction}): "segmentation"
 * (the method's plain read-out), "split" (the segmentation head's surest pixels grown back
 * inside its own foreground) and, with a detection head, "grow" / "grow-keep" (its cores grown
 * inside the segmentation). An auto seed threshold (NaN) is settled after training on the
 * weakly labelled images' annotated cores ({@link SeededGrowth#settle}).
 *
 * @param prediction split, segmentation, grow or grow-keep
 * @param seedThreshold seeds where the head's foreground probability exceeds this; NaN = auto
 * @param minSeed seeds of fewer pixels are dropped
 */
record SeedReadout(String prediction, double seedThreshold, int minSeed) {

  /** Whether the read-out grows seeds on this network: split once settled, grow always. */
  boolean grows(Predictor predictor) {
    boolean on = switch (prediction) {
      case "segmentation" -> false;
      case "split" -> !Double.isNaN(seedThreshold);
      default -> true;
    };
    return on && growth().applies(predictor);
  }

  SeededGrowth growth() {
    return new SeededGrowth(prediction.equals("split") ? Supervised.SEGMENTATION
        : LazyMultiTask.DETECTION, Double.POSITIVE_INFINITY, prediction.equals("grow-keep"),
        seedThreshold, minSeed);
  }

  /** Whether {@link #settle} searches: an auto threshold of a grown read-out. */
  boolean searches() {
    return !prediction.equals("segmentation") && Double.isNaN(seedThreshold);
  }

  /** The share of a time-limited run's time that {@link #settle} gets. */
  double afterTrainingShare() {
    return searches() ? SeededGrowth.SEARCH_SHARE : 0;
  }

  /** This read-out with its auto seeds settled; itself when there is nothing to settle. */
  SeedReadout settle(Path runDir, TrainingData data, TimeBudget budget, Consumer<String> notes)
      throws IOException {
    if (!searches()) {
      return this;
    }
    SeededGrowth g = growth();
    SeedThreshold.Candidate best = SeededGrowth.settle(runDir, data, g.seedHead(), g.lambda(),
        g.keepUnseeded(), budget, notes);
    return best == null ? this : new SeedReadout(prediction, best.threshold(), best.minSeed());
  }
}
