package org.lazyseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.OutputFolder;
import org.lazyseg.core.data.PixelSizes;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.measure.ObjectMeasurements;
import org.lazyseg.core.measure.ObjectsCsv;
import org.lazyseg.core.weak.Overlays;
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
    description = {
        "Overlapping tiles, each tile's class probabilities weighted by a Gaussian centred on it, summed and normalised: no seams, any image size, bounded memory. Writes OUT/ID.png (class ids: 0 background, 1..K; 8-bit when K < 256), and on request OUT/probabilities/ID.png (16-bit foreground probability), OUT/instances/ID.png (16-bit instance ids, or a 32-bit OUT/instances/ID.tif above 65535 objects; touching objects are cut apart where the model has a separation task), OUT/overlays/ID.png, OUT/rois/ID.zip (ImageJ ROIs) and OUT/objects.csv.",
        "A batch goes on past a file it cannot read (one line names it and the reason) and exits with 3 when any failed. Run it again with the same --out and it segments only the images whose outputs are not all there; every file is written under a temporary name and renamed, so a killed run leaves no half file."})
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ThreadOptions threads;

  @Option(names = "--model", required = true, paramLabel = "RUN", description = "Run folder written by lazyseg train.")
  Path model;

  @Option(names = "--checkpoint", defaultValue = "best", paramLabel = "NAME",
      description = "best (highest validation score) or last. Default: ${DEFAULT-VALUE}.")
  String checkpoint;

  @Option(names = "--input", required = true, paramLabel = "IMAGE_OR_DIR",
      description = "An image (PNG, TIFF or JPEG), a folder of images, or a dataset folder (with images/).")
  Path input;

  @Option(names = "--split", paramLabel = "NAME",
      description = "With a dataset folder: only images of this split (e.g. test). Default: every image not in split train.")
  String split;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder: new, empty or written by predict before; not inside the input folder.")
  Path out;

  @Option(names = "--probabilities", description = "Also write OUT/probabilities/ID.png.")
  boolean probabilities;

  @Option(names = "--instances", description = "Also write OUT/instances/ID.png (16-bit; ID.tif, 32-bit, above 65535 objects).")
  boolean instances;

  @Option(names = "--rois", description = "Also write OUT/rois/ID.zip: an ImageJ ROI set for Fiji's ROI Manager, one polygon per object (its outer outline along the pixel edges; an object in pieces: its largest), named by object id and class (7-gland).")
  boolean rois;

  @Option(names = "--overlays", description = "Also write OUT/overlays/ID.png: the image with each object tinted and outlined in its own colour.")
  boolean overlays;

  @Option(names = "--measure", description = "Also write OUT/objects.csv: a row per object of every image (image, object = its instance id, class, area, perimeter, centroid, bounding box, ellipse of its second moments, mean intensity; see README), from OUT/objects/ID.csv per image. With a pixel_size.csv (columns id,pixel_size or id,pixel_size_UNIT, e.g. pixel_size_mm) in the dataset folder, its images/ or the folder of the images, also the sizes in those units.")
  boolean measure;

  @Option(names = "--overwrite", description = "Segment every image again, even those whose outputs are all in OUT already (done by an earlier run); also write into an OUT that holds files predict did not write (refused without it).")
  boolean overwrite;

  @Option(names = "--min-area", paramLabel = "PIXELS",
      description = "Drop objects of fewer pixels (speckle) from the class, instance and overlay images and objects.csv. Default: the model's, derived from the objects annotated in its training labels (a quarter of the 5th percentile of their areas; see RUN/training-data.json); 0 keeps every object.")
  Integer minArea;

  @Option(names = "--tile", paramLabel = "T", description = "Tile size, 1 to 4096 (default: the run's; larger is faster and uses more memory: about T x T x 100 x the network's width bytes per tile, and a band of 4 x T x image width x classes bytes).")
  Integer tile;

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getErr();
    Limits.require(spec, minArea == null || minArea >= 0, "--min-area must be >= 0, not " + minArea);
    Limits.tile(spec, tile);
    if (!Files.isDirectory(model) || !Files.isRegularFile(new RunFolder(model).modelFile())) {
      throw new LazySeg.InputException(model + ": not a run folder (no model.json); train one with lazyseg train");
    }
    RunFolder.SavedModel saved = new RunFolder(model).readModel();
    if (saved.spec() != null) {   // a model.json without one is named when the model is opened
      Limits.tileMemory(spec, tile != null ? tile : saved.tileSize(), saved.spec().width(),
          java.util.Arrays.stream(saved.spec().heads()).sum());
    }
    List<Item> items = items();
    PixelSizes pixelSizes = measure ? PixelSizes.find(pixelSizeFolders()).orElse(null) : null;
    OutputFolder.requireOutside(out, input);
    OutputFolder.claim(out, "lazyseg predict", overwrite, "--overwrite");
    SegmentationModel.Options options = SegmentationModel.Options.DEFAULT
        .withCheckpoint(checkpoint).withThreads(threads.threads())
        .withTileSize(tile != null ? tile : 0).withMinArea(minArea != null ? minArea : -1);
    int segmented = 0, before = 0, failed = 0;
    long start = System.nanoTime();
    try (SegmentationModel segmenter = SegmentationModel.open(model, options)) {
      log.println("lazyseg: " + segmenter.describe());
      ObjectsCsv table = measure ? new ObjectsCsv(segmenter.classNames(), pixelSizes) : null;
      if (pixelSizes != null) {
        log.println("lazyseg: pixel sizes from " + pixelSizes);
      }
      for (int n = 0; n < items.size(); n++) {
        Item item = items.get(n);
        String counter = String.format(Locale.ROOT, "[%d/%d] %s  ", n + 1, items.size(), item.id());
        if (!overwrite && done(item.id(), table)) {
          log.println(counter + "done before, skipped");
          before++;
        } else if (segment(segmenter, item, table, counter, log)) {
          segmented++;
        } else {
          failed++;
        }
        log.flush();
      }
      List<String> parts = new ArrayList<>();
      parts.add(images(segmented) + " segmented");
      if (before > 0) {
        parts.add(before + " done before and skipped (--overwrite redoes them)");
      }
      if (failed > 0) {
        parts.add(failed + " failed (named above)");
      }
      log.printf(Locale.ROOT, "lazyseg: %s, in %.1f s -> %s%n", String.join(", ", parts),
          (System.nanoTime() - start) / 1e9, out);
      if (table != null) {
        List<Path> tables = items.stream().map(i -> objectsFile(i.id())).filter(table::isComplete).toList();
        long rows = table.merge(tables, out.resolve("objects.csv"));
        log.printf(Locale.ROOT, "lazyseg: %d objects of %s -> %s%n", rows, images(tables.size()),
            out.resolve("objects.csv"));
      }
    }
    log.flush();
    return failed > 0 ? LazySeg.EXIT_INPUT : 0;
  }

  /**
   * Reads, segments and writes one image; false (after one line naming the file and the
   * problem) when the file cannot be read.
   */
  private boolean segment(SegmentationModel segmenter, Item item, ObjectsCsv table,
      String counter, PrintWriter log) {
    long t0 = System.nanoTime();
    FloatImage image;
    try {
      image = ImageFiles.readImage(item.image());
    } catch (ImageFiles.ImageFileException e) {
      log.println(counter + "failed: " + e.getMessage());
      return false;
    }
    // Band by band: no probability plane of the whole image, only the outputs asked for.
    FloatImage fg = probabilities ? new FloatImage(image.width(), image.height(), 1) : null;
    Segmentation seg = segmenter.segmentInBands(image, fg != null ? fg.data() : null);
    String id = item.id();
    if (fg != null) {
      ImageFiles.writeImage(fg, out.resolve("probabilities").resolve(id + ".png"), true);
      fg = null;   // its memory is free for the images below
    }
    if (instances) {
      Path written = ImageFiles.writeInstances(seg.instances(), out.resolve("instances"), id);
      if (!written.toString().endsWith(".png")) {
        log.println("lazyseg: " + id + " has " + seg.instances().max()
            + " objects, more than a 16-bit PNG holds: " + written + " is a 32-bit TIFF");
      }
    }
    if (rois) {
      RoiSets.write(seg.instances(), seg.classes(), segmenter.classNames(), roisFile(id));
    }
    if (overlays) {
      Overlays.writeOverlay(out.resolve("overlays").resolve(id + ".png"), image, seg.instances(),
          Overlays.Colouring.BY_INSTANCE, null);
    }
    if (table != null) {
      table.write(objectsFile(id), id,
          ObjectMeasurements.measure(seg.instances(), seg.classes(), image));
    }
    ImageFiles.writeLabels(seg.classes(), out.resolve(id + ".png"));
    log.printf(Locale.ROOT, "%s%d x %d  %.1f s%n", counter, image.width(), image.height(),
        (System.nanoTime() - t0) / 1e9);
    return true;
  }

  /** Whether every output asked for of image {@code id} is in OUT (from an earlier run). */
  private boolean done(String id, ObjectsCsv table) {
    return Files.isRegularFile(out.resolve(id + ".png"))
        && (!probabilities || Files.isRegularFile(out.resolve("probabilities").resolve(id + ".png")))
        && (!instances || Files.isRegularFile(out.resolve("instances").resolve(id + ".png"))
            || Files.isRegularFile(out.resolve("instances").resolve(id + ".tif")))
        && (!overlays || Files.isRegularFile(out.resolve("overlays").resolve(id + ".png")))
        && (!rois || Files.isRegularFile(roisFile(id)))
        && (table == null || table.isComplete(objectsFile(id)));
  }

  private Path roisFile(String id) {
    return out.resolve("rois").resolve(id + ".zip");
  }

  private Path objectsFile(String id) {
    return out.resolve("objects").resolve(id + ".csv");
  }

  /** Where a pixel_size.csv may be: the dataset folder or its images/, the images' folder. */
  private Path[] pixelSizeFolders() {
    if (Files.isRegularFile(input)) {
      Path parent = input.toAbsolutePath().getParent();
      return new Path[] {parent};
    }
    return new Path[] {input, input.resolve("images")};
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
      Map<String, Path> seen = new HashMap<>();
      try (Stream<Path> files = Files.list(input)) {
        for (Path f : files.filter(ImageFiles::isImageFile)
            .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
          Path other = seen.put(stem(f), f);
          if (other != null) {
            throw new LazySeg.InputException(other + " and " + f.getFileName() + ": duplicate id '"
                + stem(f) + "' (both would be written to " + out.resolve(stem(f) + ".png") + "; keep one)");
          }
          items.add(new Item(stem(f), f));
        }
      }
    }
    if (items.isEmpty()) {
      throw new LazySeg.InputException(input + ": no images to segment"
          + (split != null ? " in split '" + split + "'" : " (PNG, TIFF or JPEG)"));
    }
    return items;
  }

  private static String images(int n) {
    return n + (n == 1 ? " image" : " images");
  }

  private static String stem(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
