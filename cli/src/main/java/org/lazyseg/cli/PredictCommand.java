package org.lazyseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.predict.Segmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lazyseg predict}: segments images of any size with a trained run. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    header = "Segment images of any size with a trained model.",
    description = "Overlapping tiles, each tile's class probabilities weighted by a Gaussian centred on it, summed and normalised: no seams, any image size, bounded memory. Writes OUT/ID.png (class ids: 0 background, 1..K), and on request OUT/probabilities/ID.png (16-bit foreground probability) and OUT/instances/ID.png (16-bit instance ids; touching objects are cut apart where the model has a separation task).")
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ThreadOptions threads;

  @Option(names = "--model", required = true, paramLabel = "RUN", description = "Run folder written by lazyseg train.")
  Path model;

  @Option(names = "--checkpoint", defaultValue = "best", paramLabel = "NAME",
      description = "best (highest validation score) or last. Default: ${DEFAULT-VALUE}.")
  String checkpoint;

  @Option(names = "--input", required = true, paramLabel = "IMAGE_OR_DIR",
      description = "An image (PNG/TIFF), a folder of images, or a dataset folder (with images/).")
  Path input;

  @Option(names = "--split", paramLabel = "NAME",
      description = "With a dataset folder: only images of this split (e.g. test). Default: every image not in split train.")
  String split;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--probabilities", description = "Also write OUT/probabilities/ID.png.")
  boolean probabilities;

  @Option(names = "--instances", description = "Also write OUT/instances/ID.png.")
  boolean instances;

  @Option(names = "--min-area", paramLabel = "PIXELS",
      description = "Drop objects of fewer pixels from the class and instance images (speckle). Default: the model's, derived from the objects annotated in its training labels (a quarter of the 5th percentile of their areas; see RUN/training-data.json); 0 keeps every object.")
  Integer minArea;

  @Option(names = "--tile", paramLabel = "T", description = "Tile size (default: the run's; larger is faster and uses more memory).")
  Integer tile;

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getErr();
    if (!Files.isDirectory(model) || !Files.isRegularFile(new RunFolder(model).modelFile())) {
      throw new LazySeg.InputException(model + ": not a run folder (no model.json); train one with lazyseg train");
    }
    if (minArea != null && minArea < 0) {
      throw new LazySeg.InputException("--min-area must be >= 0, not " + minArea);
    }
    List<Item> items = items();
    Files.createDirectories(out);
    SegmentationModel.Options options = SegmentationModel.Options.DEFAULT
        .withCheckpoint(checkpoint).withThreads(threads.threads())
        .withTileSize(tile != null ? tile : 0).withMinArea(minArea != null ? minArea : -1);
    try (SegmentationModel segmenter = SegmentationModel.open(model, options)) {
      log.println("lazyseg: " + segmenter.describe());
      long start = System.nanoTime();
      for (int n = 0; n < items.size(); n++) {
        Item item = items.get(n);
        long t0 = System.nanoTime();
        FloatImage image = ImageFiles.readImage(item.image());
        Segmentation seg = segmenter.segment(image);
        ImageFiles.writeLabels(seg.classes(), out.resolve(item.id() + ".png"));
        if (probabilities && seg.probabilities() != null) {
          FloatImage fg = new FloatImage(image.width(), image.height(), 1);
          System.arraycopy(seg.foregroundProbability(), 0, fg.data(), 0, fg.data().length);
          ImageFiles.writeImage(fg, out.resolve("probabilities").resolve(item.id() + ".png"), true);
        }
        if (instances) {
          ImageFiles.writeLabels(seg.instances(),
              out.resolve("instances").resolve(item.id() + ".png"));
        }
        log.printf(Locale.ROOT, "[%d/%d] %s  %d x %d  %.1f s%n", n + 1, items.size(), item.id(),
            image.width(), image.height(), (System.nanoTime() - t0) / 1e9);
        log.flush();
      }
      log.printf(Locale.ROOT, "lazyseg: %d images segmented in %.1f s -> %s%n", items.size(),
          (System.nanoTime() - start) / 1e9, out);
    }
    log.flush();
    return 0;
  }

  private record Item(String id, Path image) {}

  private List<Item> items() throws IOException {
    if (Files.isRegularFile(input)) {
      return List.of(new Item(stem(input), input));
    }
    if (!Files.isDirectory(input)) {
      throw new LazySeg.InputException(input + ": no such file or folder");
    }
    List<Item> items = new ArrayList<>();
    if (Files.isDirectory(input.resolve("images"))) {
      for (Sample s : Dataset.open(input).samples()) {
        boolean wanted = split != null ? split.equals(s.split()) : !Dataset.TRAIN.equals(s.split());
        if (wanted) {
          items.add(new Item(s.id(), s.image()));
        }
      }
    } else {
      try (Stream<Path> files = Files.list(input)) {
        files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|tif|tiff)"))
            .sorted().forEach(f -> items.add(new Item(stem(f), f)));
      }
    }
    if (items.isEmpty()) {
      throw new LazySeg.InputException(input + ": no images to segment"
          + (split != null ? " in split '" + split + "'" : ""));
    }
    return items;
  }

  private static String stem(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
