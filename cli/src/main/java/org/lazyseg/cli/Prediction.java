package org.lazyseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.PixelSizes;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.Channels;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.ImageStack;
import org.lazyseg.core.image.ImageStack.PixelSize;
import org.lazyseg.core.measure.ObjectMeasurements;
import org.lazyseg.core.measure.ObjectsCsv;
import org.lazyseg.core.weak.Overlays;
import org.lazyseg.fiji.RoiSets;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.predict.Segmentation;

/**
 * What {@code lazyseg predict} does, apart from its command line: which images a run takes
 * ({@link #items}), whether an image's outputs are all there from an earlier run
 * ({@link #done}), segmenting the planes of one file ({@link #segmentFile}) and writing one
 * image's outputs ({@link #write}). {@link PredictCommand} runs it file after file; the
 * spark module runs it in Spark tasks, a file (or a region of a large image) per task, so
 * both write the same files. Every output is written under a temporary name and renamed.
 * Not thread-safe: one per thread.
 */
public final class Prediction {
  /**
   * The options of {@code lazyseg predict} as plain values (serializable: Spark sends them
   * to its executors). Nullable numbers are "not given".
   */
  public record Settings(String model, String checkpoint, String input, String split,
      String out, boolean probabilities, boolean instances, boolean rois, boolean overlays,
      boolean measure, boolean overwrite, Integer minArea, Integer plane, Integer channel,
      Integer tile, int threads, Precision precision) implements Serializable {

    /** How the model is opened for these settings. */
    public SegmentationModel.Options modelOptions() {
      return SegmentationModel.Options.DEFAULT.withCheckpoint(checkpoint).withThreads(threads)
          .withTileSize(tile != null ? tile : 0).withMinArea(minArea != null ? minArea : -1)
          .withPrecision(precision);
    }

    /** These settings with {@code --measure} on. */
    public Settings measured() {
      return new Settings(model, checkpoint, input, split, out, probabilities, instances, rois,
          overlays, true, overwrite, minArea, plane, channel, tile, threads, precision);
    }

    /** These settings with another thread count. */
    public Settings withThreads(int n) {
      return new Settings(model, checkpoint, input, split, out, probabilities, instances, rois,
          overlays, measure, overwrite, minArea, plane, channel, tile, n, precision);
    }
  }

  /** One input file and its id (the output name of a file of one plane). */
  public record Item(String id, String file) implements Serializable {
    public Path image() {
      return Path.of(file);
    }
  }

  /**
   * What a batch did, output by output (a plane of a stack is one): the counts of the
   * summary line and the ids whose outputs are all in OUT.
   */
  public static final class Tally implements Serializable {
    public int segmented, before, failed, stacks, stackPlanes;
    public final List<String> outputs = new ArrayList<>();

    public Tally add(Tally other) {
      segmented += other.segmented;
      before += other.before;
      failed += other.failed;
      stacks += other.stacks;
      stackPlanes += other.stackPlanes;
      outputs.addAll(other.outputs);
      return this;
    }

    /** "2 images segmented, 1 failed (named above)" */
    public String summary() {
      List<String> parts = new ArrayList<>();
      parts.add(images(segmented) + " segmented" + (stacks == 0 ? "" : " (" + stackPlanes
          + " of them planes of " + stacks + (stacks == 1 ? " stack)" : " stacks)")));
      if (before > 0) {
        parts.add(before + " done before and skipped (--overwrite redoes them)");
      }
      if (failed > 0) {
        parts.add(failed + " failed (named above)");
      }
      return String.join(", ", parts);
    }
  }

  /** Told of each output file once it is in place (tests make a task fail there). */
  @FunctionalInterface
  public interface Written {
    void written(String id, Path file);
  }

  private final Settings settings;
  private final Path out;
  private final List<String> classNames;
  private final PixelSizes pixelSizes;
  private final ObjectsCsv table;
  private Written written = (id, file) -> { };

  /**
   * @param classNames the model's ({@link SegmentationModel#classNames})
   * @param units whether the object table has unit columns ({@link #units}: the same for
   *     every part of a batch)
   */
  public Prediction(Settings settings, List<String> classNames, boolean units) {
    this.settings = settings;
    this.out = Path.of(settings.out());
    this.classNames = List.copyOf(classNames);
    this.pixelSizes = settings.measure() ? pixelSizes(settings).orElse(null) : null;
    this.table = settings.measure() ? new ObjectsCsv(classNames, units) : null;
  }

  public Settings settings() {
    return settings;
  }

  /** The pixel_size.csv of the input, if any (README: where it may be). */
  public static java.util.Optional<PixelSizes> pixelSizes(Settings settings) {
    Path input = Path.of(settings.input());
    return PixelSizes.find(Files.isRegularFile(input)
        ? new Path[] {input.toAbsolutePath().getParent()}
        : new Path[] {input, input.resolve("images")});
  }

  /** Whether the object table of these items has unit columns. */
  public static boolean units(Settings settings, List<Item> items) {
    return settings.measure() && (pixelSizes(settings).isPresent() || anyPixelSize(items));
  }

  /** Calls {@code listener} after each output file is in place. */
  public Prediction onWritten(Written listener) {
    this.written = listener;
    return this;
  }

  public ObjectsCsv table() {
    return table;
  }

  public PixelSizes pixelSizesFound() {
    return pixelSizes;
  }

  /** The files of the input: an image, a folder of images, or a dataset's images (split). */
  public static List<Item> items(Settings settings) throws IOException {
    Path input = Path.of(settings.input());
    Path out = Path.of(settings.out());
    if (Files.isRegularFile(input)) {
      return List.of(new Item(ImageFiles.id(input), input.toString()));
    }
    if (!Files.isDirectory(input)) {
      throw new LazySeg.InputException(input + ": no such file or folder");
    }
    String split = settings.split();
    List<Item> items = new ArrayList<>();
    if (Files.isDirectory(input.resolve("images"))) {
      for (Sample s : Dataset.open(input).samples()) {
        boolean wanted = split != null ? split.equals(s.split()) : !Dataset.TRAIN.equals(s.split());
        if (wanted) {
          items.add(new Item(s.id(), s.image().toString()));
        }
      }
    } else {
      Map<String, Path> seen = new HashMap<>();
      try (Stream<Path> files = Files.list(input)) {
        for (Path f : files.filter(ImageFiles::isImageFile)
            .filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
          String id = ImageFiles.id(f);
          Path other = seen.put(id, f);
          if (other != null) {
            throw new LazySeg.InputException(other + " and " + f.getFileName() + ": duplicate id '"
                + id + "' (both would be written to " + out.resolve(id + ".png") + "; keep one)");
          }
          items.add(new Item(id, f.toString()));
        }
      }
    }
    if (items.isEmpty()) {
      throw new LazySeg.InputException(input + ": no images to segment"
          + (split != null ? " in split '" + split + "'" : " (PNG, TIFF or JPEG)"));
    }
    return items;
  }

  /** "[3/10] id  " */
  public static String counter(int n, int count, String id) {
    return String.format(Locale.ROOT, "[%d/%d] %s  ", n, count, id);
  }

  /**
   * Segments the planes of one file (all, or --plane), each its own output ID_PLANE (ID for a
   * file of one plane); after a line saying what a stack holds. A file or plane that cannot
   * be read, or whose channels do not fit the model, gets one line naming it and why.
   */
  public Tally segmentFile(SegmentationModel segmenter, Item item, int n, int count,
      PrintWriter log) {
    Tally tally = new Tally();
    Integer plane = settings.plane(), channel = settings.channel();
    String counter = counter(n, count, item.id());
    ImageStack stack;
    try {
      stack = ImageStack.open(item.image());
    } catch (ImageFiles.ImageFileException e) {
      log.println(counter + "failed: " + e.getMessage());
      tally.failed++;
      return tally;
    }
    try (stack) {
      int planes = stack.planes();
      if (plane != null && plane > planes) {
        log.println(counter + "failed: " + item.image() + ": " + stack.describe() + ", no plane "
            + plane + " (--plane)");
        tally.failed++;
        return tally;
      }
      if (planes > 1) {
        log.println(counter + stack.describe() + ": " + (plane == null ? "all taken"
            : "plane " + plane + " taken (--plane)"));
      }
      boolean counted = false;
      for (int p = plane != null ? plane - 1 : 0; p < (plane != null ? plane : planes); p++) {
        String id = planes > 1 ? item.id() + "_" + stack.planeName(p) : item.id();
        String line = counter(n, count, id);
        if (!settings.overwrite() && done(id)) {
          log.println(line + "done before, skipped");
          tally.before++;
          tally.outputs.add(id);
          continue;
        }
        long t0 = System.nanoTime();
        FloatImage image;
        try {
          image = plane(stack, p);
        } catch (ImageFiles.ImageFileException e) {
          log.println(line + "failed: " + e.getMessage());
          tally.failed++;
          continue;
        }
        String misfit = misfit(segmenter, item, stack, image);
        if (misfit != null) {
          // Every plane of the file has these channels: one line for all of them.
          log.println(line + "failed: " + misfit + (planes > 1 && p + 1 < planes
              && plane == null ? "; its other planes skipped" : ""));
          tally.failed++;
          return tally;
        }
        PixelSize size = table == null ? null : pixelSize(id, item.id(), stack);
        FloatImage fg = settings.probabilities()
            ? new FloatImage(image.width(), image.height(), 1) : null;
        // Band by band: no probability plane of the whole image, only the outputs asked for.
        Segmentation seg = segmenter.segmentInBands(image, fg != null ? fg.data() : null);
        writeProbabilities(id, fg);
        fg = null;   // its memory is free for the outputs below
        write(segmenter, id, image, seg, size, log);
        log.printf(Locale.ROOT, "%s%d x %d  %.1f s%s%n", line, image.width(), image.height(),
            (System.nanoTime() - t0) / 1e9, size != null ? "  pixel " + size : "");
        tally.segmented++;
        if (planes > 1) {
          tally.stacks += counted ? 0 : 1;   // a stack of which a plane was segmented
          counted = true;
          tally.stackPlanes++;
        }
        tally.outputs.add(id);
      }
    }
    return tally;
  }

  /** Plane {@code p} of {@code stack} as predict reads it (all channels, or --channel). */
  public FloatImage plane(ImageStack stack, int p) {
    return settings.channel() == null ? stack.plane(p) : stack.plane(p, settings.channel() - 1);
  }

  /**
   * Null when the channels of {@code image} (of {@code item}) fit the model; else why not,
   * naming the file ("f.ome.tif: 2 channels, the model takes 1 ...").
   */
  public String misfit(SegmentationModel segmenter, Item item, ImageStack stack,
      FloatImage image) {
    boolean separate = settings.channel() == null && stack.separateChannels();
    if (Channels.fits(image.channels(), separate, segmenter.channels())) {
      return null;
    }
    return item.image() + ": " + image.channels() + " channels" + ", the model takes "
        + segmenter.channels() + (separate && segmenter.channels() == 1
            ? " (separate channels are not averaged)" : "") + ": choose one with --channel K";
  }

  /**
   * The pixel size of output {@code id} (plane of file {@code fileId}): pixel_size.csv's row
   * of the output or the file, else the file's own; null when neither gives one.
   */
  public PixelSize pixelSize(String id, String fileId, ImageStack stack) {
    PixelSizes csv = pixelSizes;
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

  /** Writes OUT/probabilities/ID.png from {@code fg} (nothing when it is null). */
  public void writeProbabilities(String id, FloatImage fg) {
    if (fg != null) {
      Path file = out.resolve("probabilities").resolve(id + ".png");
      ImageFiles.writeImage(fg, file, true);
      written.written(id, file);
    }
  }

  /**
   * Writes the outputs of image {@code id} asked for besides the probabilities: instances,
   * ROIs, overlay, the object rows ({@code size}: its pixel size, nullable), and the class
   * ids last, so an image whose class image is there has all its outputs.
   */
  public void write(SegmentationModel segmenter, String id, FloatImage image, Segmentation seg,
      PixelSize size, PrintWriter log) {
    if (settings.instances()) {
      Path file = ImageFiles.writeInstances(seg.instances(), out.resolve("instances"), id);
      if (!file.toString().endsWith(".png")) {
        log.println("lazyseg: " + id + " has " + seg.instances().max()
            + " objects, more than a 16-bit PNG holds: " + file + " is a 32-bit TIFF");
      }
      written.written(id, file);
    }
    if (settings.rois()) {
      RoiSets.write(seg.instances(), seg.classes(), segmenter.classNames(), roisFile(id));
      written.written(id, roisFile(id));
    }
    if (settings.overlays()) {
      Path file = out.resolve("overlays").resolve(id + ".png");
      Overlays.writeOverlay(file, image, seg.instances(), Overlays.Colouring.BY_INSTANCE, null);
      written.written(id, file);
    }
    if (table != null) {
      table.write(objectsFile(id), id,
          ObjectMeasurements.measure(seg.instances(), seg.classes(), image), size);
      written.written(id, objectsFile(id));
    }
    ImageFiles.writeLabels(seg.classes(), out.resolve(id + ".png"));
    written.written(id, out.resolve(id + ".png"));
  }

  /** Whether every output asked for of image {@code id} is in OUT (from an earlier run). */
  public boolean done(String id) {
    return Files.isRegularFile(out.resolve(id + ".png"))
        && (!settings.probabilities()
            || Files.isRegularFile(out.resolve("probabilities").resolve(id + ".png")))
        && (!settings.instances()
            || Files.isRegularFile(out.resolve("instances").resolve(id + ".png"))
            || Files.isRegularFile(out.resolve("instances").resolve(id + ".tif")))
        && (!settings.overlays() || Files.isRegularFile(out.resolve("overlays").resolve(id + ".png")))
        && (!settings.rois() || Files.isRegularFile(roisFile(id)))
        && (table == null || table.isComplete(objectsFile(id)));
  }

  /**
   * Merges the object rows of the outputs {@code tally} names into OUT/objects.csv and says
   * so; nothing without --measure.
   */
  public void mergeTable(Tally tally, PrintWriter log) {
    if (table == null) {
      return;
    }
    List<Path> tables = tally.outputs.stream().map(this::objectsFile).filter(table::isComplete)
        .toList();
    long rows = table.merge(tables, out.resolve("objects.csv"));
    log.printf(Locale.ROOT, "lazyseg: %d objects of %s -> %s%n", rows, images(tables.size()),
        out.resolve("objects.csv"));
  }

  private Path roisFile(String id) {
    return out.resolve("rois").resolve(id + ".zip");
  }

  /** OUT/objects/ID.csv: the object rows of one image. */
  public Path objectsFile(String id) {
    return out.resolve("objects").resolve(id + ".csv");
  }

  static String images(int n) {
    return n + (n == 1 ? " image" : " images");
  }
}
