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
import org.lazyseg.core.image.Channels;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.ImageStack;
import org.lazyseg.core.image.ImageStack.PixelSize;
import org.lazyseg.core.measure.ObjectMeasurements;
import org.lazyseg.core.measure.ObjectsCsv;
import org.lazyseg.core.weak.Overlays;
import org.lazyseg.fiji.RoiSets;
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
        "Overlapping tiles, each tile's class probabilities weighted by a Gaussian centred on it, summed and normalised: no seams, any image size, bounded memory. Writes OUT/ID.png (class ids: 0 background, 1..K; 8-bit when K < 256; ID is the file name without extension and an OME-TIFF's .ome; a stack, i.e. a multi-page TIFF, ImageJ hyperstack or OME-TIFF, gives one output per plane, OUT/ID_z0001.png, ID_t0001.png or ID_p0001.png for plain pages), and on request OUT/probabilities/ID.png (16-bit foreground probability), OUT/instances/ID.png (16-bit instance ids, or a 32-bit OUT/instances/ID.tif above 65535 objects; touching objects are cut apart where the model has a separation task), OUT/overlays/ID.png, OUT/rois/ID.zip (ImageJ ROIs) and OUT/objects.csv.",
        "A batch goes on past a file it cannot read (one line names it and the reason) and exits with 3 when any failed. Run it again with the same --out and it segments only the images whose outputs are not all there; every file is written under a temporary name and renamed, so a killed run leaves no half file."})
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ThreadOptions threads;
  @Mixin PrecisionOption precision;

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

  @Option(names = "--plane", paramLabel = "N", description = "Of a stack (a multi-page TIFF, ImageJ hyperstack or OME-TIFF), segment plane N only (from 1; see README for how planes are numbered and named). Default: every plane, each its own output OUT/ID_z0001.png (t0001, or p0001 for plain pages).")
  Integer plane;

  @Option(names = "--channel", paramLabel = "K", description = "Segment channel K (from 1) of each image only, as a grey image: one of an OME-TIFF's or hyperstack's channels, or red, green or blue. Default: all channels, which must fit the model's (README, Images).")
  Integer channel;

  @Option(names = "--tile", paramLabel = "T", description = "Tile size, 1 to 4096 (default: the run's; larger is faster and uses more memory: about T x T x 100 x the network's width bytes per tile, and a band of 4 x T x image width x classes bytes).")
  Integer tile;

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getErr();
    Limits.require(spec, minArea == null || minArea >= 0, "--min-area must be >= 0, not " + minArea);
    Limits.tile(spec, tile);
    Limits.require(spec, plane == null || plane >= 1, "--plane counts from 1, not " + plane);
    Limits.require(spec, channel == null || channel >= 1, "--channel counts from 1, not " + channel);
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
        .withTileSize(tile != null ? tile : 0).withMinArea(minArea != null ? minArea : -1)
        .withPrecision(precision.precision());
    long start = System.nanoTime();
    try (SegmentationModel segmenter = SegmentationModel.open(model, options)) {
      log.println("lazyseg: " + segmenter.describe());
      log.println("lazyseg: " + precision.describe());
      ObjectsCsv table = measure
          ? new ObjectsCsv(segmenter.classNames(), pixelSizes != null || anyPixelSize(items))
          : null;
      if (pixelSizes != null) {
        log.println("lazyseg: pixel sizes from " + pixelSizes);
      }
      for (int n = 0; n < items.size(); n++) {
        Item item = items.get(n);
        String counter = String.format(Locale.ROOT, "[%d/%d] %s  ", n + 1, items.size(), item.id());
        if (!overwrite && plane == null && done(item.id(), table)) {
          log.println(counter + "done before, skipped");
          before++;
          outputs.add(item.id());
        } else {
          segmentFile(segmenter, item, pixelSizes, table, n + 1, items.size(), log);
        }
        log.flush();
      }
      List<String> parts = new ArrayList<>();
      parts.add(images(segmented) + " segmented" + (stacks == 0 ? "" : " (" + stackPlanes
          + " of them planes of " + stacks + (stacks == 1 ? " stack)" : " stacks)")));
      if (before > 0) {
        parts.add(before + " done before and skipped (--overwrite redoes them)");
      }
      if (failed > 0) {
        parts.add(failed + " failed (named above)");
      }
      log.printf(Locale.ROOT, "lazyseg: %s, in %.1f s -> %s%n", String.join(", ", parts),
          (System.nanoTime() - start) / 1e9, out);
      if (table != null) {
        List<Path> tables = outputs.stream().map(this::objectsFile).filter(table::isComplete).toList();
        long rows = table.merge(tables, out.resolve("objects.csv"));
        log.printf(Locale.ROOT, "lazyseg: %d objects of %s -> %s%n", rows, images(tables.size()),
            out.resolve("objects.csv"));
      }
    }
    log.flush();
    return failed > 0 ? LazySeg.EXIT_INPUT : 0;
  }

  // What the batch did, output by output (a plane of a stack is one), for the summary.
  private int segmented, before, failed, stacks, stackPlanes;
  private final List<String> outputs = new ArrayList<>();

  /**
   * Segments the planes of one file (all, or --plane), each its own output ID_PLANE (ID for a
   * file of one plane); after a line saying what a stack holds. A file or plane that cannot
   * be read, or whose channels do not fit the model, gets one line naming it and why.
   */
  private void segmentFile(SegmentationModel segmenter, Item item, PixelSizes pixelSizes,
      ObjectsCsv table, int n, int count, PrintWriter log) {
    String counter = String.format(Locale.ROOT, "[%d/%d] %s  ", n, count, item.id());
    ImageStack stack;
    try {
      stack = ImageStack.open(item.image());
    } catch (ImageFiles.ImageFileException e) {
      log.println(counter + "failed: " + e.getMessage());
      failed++;
      return;
    }
    try (stack) {
      int planes = stack.planes();
      if (plane != null && plane > planes) {
        log.println(counter + "failed: " + item.image() + ": " + stack.describe() + ", no plane "
            + plane + " (--plane)");
        failed++;
        return;
      }
      if (planes > 1) {
        log.println(counter + stack.describe() + ": " + (plane == null ? "all taken"
            : "plane " + plane + " taken (--plane)"));
      }
      boolean counted = false;
      for (int p = plane != null ? plane - 1 : 0; p < (plane != null ? plane : planes); p++) {
        String id = planes > 1 ? item.id() + "_" + stack.planeName(p) : item.id();
        String line = String.format(Locale.ROOT, "[%d/%d] %s  ", n, count, id);
        if (!overwrite && done(id, table)) {
          log.println(line + "done before, skipped");
          before++;
          outputs.add(id);
          continue;
        }
        long t0 = System.nanoTime();
        FloatImage image;
        try {
          image = channel == null ? stack.plane(p) : stack.plane(p, channel - 1);
        } catch (ImageFiles.ImageFileException e) {
          log.println(line + "failed: " + e.getMessage());
          failed++;
          continue;
        }
        boolean separate = channel == null && stack.separateChannels();
        if (!Channels.fits(image.channels(), separate, segmenter.channels())) {
          // Every plane of the file has these channels: one line for all of them.
          log.println(line + "failed: " + item.image() + ": " + image.channels() + " channels"
              + ", the model takes " + segmenter.channels() + (separate && segmenter.channels()
                  == 1 ? " (separate channels are not averaged)" : "")
              + ": choose one with --channel K"
              + (planes > 1 && p + 1 < planes && plane == null ? "; its other planes skipped" : ""));
          failed++;
          return;
        }
        PixelSize size = table == null ? null : pixelSize(pixelSizes, id, item.id(), stack);
        segment(segmenter, id, image, size, table, line, t0, log);
        segmented++;
        if (planes > 1) {
          stacks += counted ? 0 : 1;   // a stack of which a plane was segmented
          counted = true;
          stackPlanes++;
        }
        outputs.add(id);
      }
    }
  }

  /**
   * The pixel size of output {@code id} (plane of file {@code fileId}): pixel_size.csv's row
   * of the output or the file, else the file's own; null when neither gives one.
   */
  private static PixelSize pixelSize(PixelSizes csv, String id, String fileId,
      ImageStack stack) {
    PixelSize listed = csv == null ? null : csv.size(id).or(() -> csv.size(fileId)).orElse(null);
    if (listed == null) {
      return stack.pixelSize().orElse(null);
    }
    return stack.pixelSize().map(own -> new PixelSize(listed.size(), listed.unit(),
        listed.source() + ", not the file's " + own.value() + " from " + own.source()))
        .orElse(listed);
  }

  /** Whether some input file gives its own pixel size (only TIFFs carry one we read). */
  private static boolean anyPixelSize(List<Item> items) {
    for (Item item : items) {
      String name = item.image().getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".tif") || name.endsWith(".tiff")) {
        try (ImageStack stack = ImageStack.open(item.image())) {
          if (stack.pixelSize().isPresent()) {
            return true;
          }
        } catch (ImageFiles.ImageFileException e) {
          // named when the file's turn comes
        }
      }
    }
    return false;
  }

  /** Segments and writes one image (a plane) as output {@code id}. */
  private void segment(SegmentationModel segmenter, String id, FloatImage image,
      PixelSize size, ObjectsCsv table, String counter, long t0, PrintWriter log) {
    // Band by band: no probability plane of the whole image, only the outputs asked for.
    FloatImage fg = probabilities ? new FloatImage(image.width(), image.height(), 1) : null;
    Segmentation seg = segmenter.segmentInBands(image, fg != null ? fg.data() : null);
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
          ObjectMeasurements.measure(seg.instances(), seg.classes(), image), size);
    }
    ImageFiles.writeLabels(seg.classes(), out.resolve(id + ".png"));
    log.printf(Locale.ROOT, "%s%d x %d  %.1f s%s%n", counter, image.width(), image.height(),
        (System.nanoTime() - t0) / 1e9, size != null ? "  pixel " + size : "");
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
    return ImageFiles.id(f);
  }
}
