package org.lazyseg.experiments.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;

/**
 * Whether a preset's runs made by an older build and by this one differ only where this build
 * means to: for each run both folders hold, per test image, whether the trained parameters are
 * the same bytes, whether this build's SegmentationModel with least object area 0 reproduces
 * the older build's class map, and whether with the run's own least object area it gives
 * this build's class map. One JSON line per run.
 * usage: bench/tool SameNumbers OLD_RUNS_DIR NEW_RUNS_DIR DATASET [SPLIT]
 *   *_RUNS_DIR: the folder of a preset's runs (RUN/test-SPLIT/ID.png and checkpoints/best)
 */
public final class SameNumbers {
  public static void main(String[] args) throws Exception {
    Path oldRuns = Path.of(args[0]), newRuns = Path.of(args[1]);
    Dataset data = Dataset.open(Path.of(args[2]));
    String split = args.length > 3 ? args[3] : "test";
    Path predictions = Path.of("test-" + split);
    try (Stream<Path> runs = Files.list(newRuns)) {
      for (Path run : runs.sorted().toList()) {
        Path old = oldRuns.resolve(run.getFileName());
        if (!Files.isDirectory(run.resolve(predictions))
            || !Files.isDirectory(old.resolve(predictions))) {
          continue;
        }
        Path parameters = Path.of("checkpoints", "best", "parameters.bin");
        boolean sameWeights = Arrays.equals(Files.readAllBytes(run.resolve(parameters)),
            Files.readAllBytes(old.resolve(parameters)));
        int oldReproduced = 0, newReproduced = 0, images = 0;
        SegmentationModel.Options options = SegmentationModel.Options.DEFAULT.withThreads(1);
        try (SegmentationModel raw = SegmentationModel.open(run, options.withMinArea(0));
            SegmentationModel own = SegmentationModel.open(run, options)) {
          for (Sample s : data.samples(split)) {
            Path oldMap = old.resolve(predictions).resolve(s.id() + ".png");
            if (!Files.isRegularFile(oldMap)) {
              continue;
            }
            FloatImage image = s.loadImage();
            images++;
            oldReproduced += Arrays.equals(raw.segment(image).classes().data(),
                ImageFiles.readLabels(oldMap).data()) ? 1 : 0;
            newReproduced += Arrays.equals(own.segment(image).classes().data(),
                ImageFiles.readLabels(run.resolve(predictions).resolve(s.id() + ".png"))
                    .data()) ? 1 : 0;
          }
          System.out.printf(Locale.ROOT, "{\"run\":\"%s\",\"same_weights\":%b,\"min_area\":%d,"
              + "\"images\":%d,\"old_maps_at_min_area_0\":%d,\"new_maps_at_own_min_area\":%d}%n",
              run.getFileName(), sameWeights, own.minArea(), images, oldReproduced,
              newReproduced);
        }
      }
    }
  }
}
