package org.lazyseg.experiments.tools;

import java.nio.file.Path;
import java.util.Map;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.predict.Predictor;

/**
 * One trained run's own read-out on validation images (a split carved from the training
 * images, never the test split) with each number of test-time flips (1, 2, 4;
 * {@link Predictor#setFlips}), and the checkpoint given (default best). One JSON line each.
 * usage: bench/tool FlipChoice RUN LAZY_DATA SPLIT [best|last]
 */
public final class FlipChoice {
  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    Dataset lazy = Dataset.open(Path.of(args[1]));
    String checkpoint = args.length > 3 ? args[3] : RunFolder.BEST;
    for (int flips : Predictor.FLIPS) {
      System.out.println(ReadoutChoice.scoreLine(run, lazy, args[2], "flips",
          Integer.toString(flips), Map.of("checkpoint", checkpoint),
          SegmentationModel.Options.DEFAULT.withThreads(1).withCheckpoint(checkpoint)
              .withFlips(flips)));
    }
  }
}
