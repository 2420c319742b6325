package org.lazyseg.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.engine.TrainingRun;
import org.lazyseg.train.export.ModelExport;
import org.lazyseg.train.method.Method;
import org.lazyseg.train.method.Methods;
import org.lazyseg.train.method.TrainingJob;
import org.lazyseg.train.method.WorkingScale;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * A trained model: segments images held in memory, of any size, exactly as {@code lazyseg
 * predict} does. The method's own decoding (the object-size rescale, recursive growth and
 * seeds, the multi-task separation cut), the working scale the network was trained at (the
 * image is shrunk, decoded there, and the labels enlarged back) and the least object area
 * derived from the training labels are recorded with the model and always applied.
 *
 * <pre>{@code
 * try (SegmentationModel model = SegmentationModel.open(runDir)) {
 *   Segmentation s = model.segment(image);
 *   LabelImage classes = s.classes(), objects = s.instances();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use one model per thread (the network is shared by nothing else).
 */
public final class SegmentationModel implements AutoCloseable {
  /**
   * How to open a model.
   *
   * @param checkpoint "best" (highest validation score) or "last"
   * @param threads CPU threads of the engine; PyTorch keeps one thread pool per process, so
   *     the last model opened (or training started) sets it for all
   * @param tileSize tile side in pixels (larger is faster, uses more memory); 0 = the
   *     model's, and images up to {@link Predictor#wholeImagePixels(ModelSpec)} pixels whole
   * @param minArea least object area in pixels, or -1 for the model's own (derived from its
   *     training labels); 0 keeps every object
   * @param methodSettings settings of the method that replace the recorded ones for
   *     segmenting (e.g. another read-out of the same network); empty = as recorded
   * @param precision what the network computes in; null = {@link Precision#auto()} (bf16
   *     where the hardware has it, whatever precision the model was trained in)
   * @param flips test-time flips, 1, 2 or 4 ({@link Predictor#setFlips}): each costs one
   *     more pass of the network
   */
  public record Options(String checkpoint, int threads, int tileSize, int minArea,
      Map<String, String> methodSettings, Precision precision, int flips) {
    public static final Options DEFAULT = new Options(RunFolder.BEST,
        Math.max(1, Runtime.getRuntime().availableProcessors()), 0, -1, Map.of(), null, 1);

    public Options {
      Objects.requireNonNull(checkpoint, "checkpoint");
      methodSettings = Map.copyOf(methodSettings);
      if (threads < 1 || tileSize < 0 || minArea < -1) {
        throw new IllegalArgumentException("need threads >= 1, tile size >= 0 and min area >= "
            + "-1 (the model's), not " + threads + ", " + tileSize + ", " + minArea);
      }
      Predictor.requireFlips(flips);
    }

    public Options withCheckpoint(String name) {
      return new Options(name, threads, tileSize, minArea, methodSettings, precision, flips);
    }

    public Options withThreads(int n) {
      return new Options(checkpoint, n, tileSize, minArea, methodSettings, precision, flips);
    }

    public Options withTileSize(int size) {
      return new Options(checkpoint, threads, size, minArea, methodSettings, precision, flips);
    }

    public Options withMinArea(int pixels) {
      return new Options(checkpoint, threads, tileSize, pixels, methodSettings, precision, flips);
    }

    /** These method settings instead of the recorded ones (those not named keep theirs). */
    public Options withMethodSettings(Map<String, String> settings) {
      return new Options(checkpoint, threads, tileSize, minArea, settings, precision, flips);
    }

    /** Computes in {@code p}; null = {@link Precision#auto()}. */
    public Options withPrecision(Precision p) {
      return new Options(checkpoint, threads, tileSize, minArea, methodSettings, p, flips);
    }

    /** With {@code n} test-time flips (1, 2 or 4). */
    public Options withFlips(int n) {
      return new Options(checkpoint, threads, tileSize, minArea, methodSettings, precision, n);
    }
  }

  private final Path runDir;
  private final Predictor predictor;
  private final Method method;
  private final List<String> classNames;
  private final int minArea;
  private final String checkpoint;
  private final double scale;

  private SegmentationModel(Path runDir, Predictor predictor, Method method,
      List<String> classNames, int minArea, String checkpoint, double scale) {
    this.runDir = runDir;
    this.predictor = predictor;
    this.method = method;
    this.classNames = List.copyOf(classNames);
    this.minArea = minArea;
    this.checkpoint = checkpoint;
    this.scale = scale;
  }

  /**
   * Sets PyTorch's intra-op threads for the calling thread. OpenMP keeps the count per
   * thread: {@link #open} sets it for the thread that opens the model, and a thread that
   * PyTorch did not start itself (a Spark task's) otherwise computes with OpenMP's default,
   * one thread per core. Call it on such a thread before it segments.
   */
  public static void useThreads(int threads) {
    TrainingRun.configureThreads(threads);
  }

  /**
   * A warning for the log where this CPU is known to need a setting that is missing (an AMD
   * CPU of family 26 without {@code ONEDNN_MAX_CPU_ISA=SSE41}: PyTorch gave wrong results
   * there), else empty. Front ends that start Java themselves (Fiji, Spark) print it; training
   * and segmenting go on either way.
   */
  public static Optional<String> cpuWarning() {
    return Precision.cpuFaultWarning();
  }

  /** Opens the best checkpoint of a run folder written by training. */
  public static SegmentationModel open(Path runDir) throws IOException {
    return open(runDir, Options.DEFAULT);
  }

  /**
   * Opens a run folder written by training.
   *
   * @throws IOException when the folder is not a run folder or its checkpoint is missing or
   *     unreadable (the message names the file)
   */
  public static SegmentationModel open(Path runDir, Options options) throws IOException {
    RunFolder run = new RunFolder(runDir);
    if (!Files.isRegularFile(run.modelFile())) {
      throw new IOException(runDir + ": not a run folder (no " + run.modelFile().getFileName()
          + "); train one first");
    }
    Path recordFile = runDir.resolve(TrainingJob.RECORD_FILE);
    TrainingJob.Record record = Files.isRegularFile(recordFile)
        ? RunFolder.read(recordFile, TrainingJob.Record.class) : null;
    Method method = Methods.of(record);   // the record is read once, above
    if (!options.methodSettings().isEmpty()) {
      Map<String, String> merged = new java.util.LinkedHashMap<>(method.options());
      merged.putAll(options.methodSettings());
      method = Methods.create(method.name(), merged);
    }
    List<String> classes = record != null && record.classes() != null ? record.classes()
        : defaultClassNames(run);
    int minArea = options.minArea() >= 0 ? options.minArea()
        : record != null ? record.minArea() : 0;
    TrainingRun.configureThreads(options.threads());
    Precision precision = options.precision() != null ? options.precision() : Precision.auto();
    Predictor predictor = Predictor.open(runDir, options.checkpoint(), precision);
    if (options.tileSize() > 0) {
      predictor.setTileSize(options.tileSize());
    } else {
      // The model's tile: images that fit the memory budget go through whole, faster.
      predictor.setWholeImagePixels(Predictor.wholeImagePixels(predictor.spec()));
    }
    predictor.setFlips(options.flips());
    return new SegmentationModel(runDir, predictor, method, classes, minArea,
        options.checkpoint(), record != null ? record.workingScale() : 1);
  }

  private static List<String> defaultClassNames(RunFolder run) {
    int k = run.readModel().spec().heads()[0] - 1;
    return k == 1 ? List.of("foreground")
        : java.util.stream.IntStream.rangeClosed(1, k).mapToObj(i -> "class" + i).toList();
  }

  /** Foreground class names; class id k (1..K) of {@link Segmentation#classes} is entry k-1. */
  public List<String> classNames() {
    return classNames;
  }

  /** Input channels the network was trained on (other counts are adapted: see README). */
  public int channels() {
    return predictor.spec().channels();
  }

  /** The method that trained the model, and its settings as recorded. */
  public String method() {
    return method.name();
  }

  public Map<String, String> methodSettings() {
    return method.options();
  }

  /** The least object area (pixels) applied to every segmentation; 0 = none. */
  public int minArea() {
    return minArea;
  }

  /**
   * The working scale: the factor images are shrunk by before the network sees them, as in
   * training (1 = full resolution); results are always at the input's size.
   */
  public double workingScale() {
    return scale;
  }

  public Path runFolder() {
    return runDir;
  }

  /** What the network computes in (fp32 parameters either way). */
  public Precision precision() {
    return predictor.precision();
  }

  /** One line: what this model is and does, for logs and front ends. */
  public String describe() {
    return method.name() + " model of " + runDir.getFileName() + ": classes " + classNames
        + ", " + channels() + " input channel(s), least object area " + minArea + " px, "
        + (scale != 1 ? "working scale " + scale + ", " : "") + precision().label();
  }

  /** Class ids, instance ids and the segmentation head's class probabilities of an image. */
  public Segmentation segment(FloatImage image) {
    return WorkingScale.segment(method, predictor, image, scale).withoutObjectsUnder(minArea);
  }

  /**
   * The class and instance ids of {@link #segment(FloatImage)}, bit for bit, without its
   * probability planes of the whole image: the network's output is decoded row band by row
   * band and the least object area applied in place. What {@code lazyseg predict} uses.
   * Memory beyond the image and the two id images: for the methods that decide pixel by
   * pixel, a band as tall as a tile, 4 x (classes of the heads read + 1) x width x tile
   * bytes; the methods whose decoding is global keep more (docs/methods.md, Memory). The
   * result's probabilities are null; {@code foreground}, when not null (width x height
   * values), receives {@link Segmentation#foregroundProbability}.
   */
  public Segmentation segmentInBands(FloatImage image, float[] foreground) {
    if (foreground != null && foreground.length != image.width() * image.height()) {
      throw new IllegalArgumentException("foreground has " + foreground.length
          + " values, not " + image.width() + " x " + image.height());
    }
    return WorkingScale.segmentInBands(method, predictor, image, scale, foreground)
        .dropObjectsUnder(minArea);
  }

  /**
   * Whether {@link #segmentInBands} can be computed region by region: true when the method
   * decides class ids (and the cut between touching objects) pixel by pixel and only its
   * last step, instances and the least object area, looks at the whole image. Then
   * {@link #decodeRegion} of regions that tile the image, followed by {@link #finish} of
   * the whole, gives exactly {@link #segmentInBands}. False for the methods that decode
   * globally (object sizes, tags, recursive growth) and for a model with a working scale
   * below 1 (its labels are enlarged from the whole shrunk image).
   */
  public boolean decodesRegions() {
    return scale == 1 && method.pixelHeads(predictor) != null;
  }

  /**
   * The pixel-by-pixel part of {@link #segmentInBands} in the region of {@code image} at
   * ({@code x0}, {@code y0}) of the size of {@code classes} (caller-allocated): its class
   * ids and, when {@code cut} is not null and the network has a separation head, the cut
   * (1 where an object's pixel is no interface). The network sees the whole image's tiles
   * that reach the region (its halo: up to one tile beyond it), so the values are those of
   * the whole image, bit for bit. {@code foreground} (null, or the region's size) receives
   * the foreground probability. Only for a model that {@link #decodesRegions}.
   */
  public void decodeRegion(FloatImage image, int x0, int y0, LabelImage classes,
      LabelImage cut, float[] foreground) {
    if (!decodesRegions()) {
      throw new IllegalStateException(describe() + ": does not decode region by region;"
          + " use segmentInBands");
    }
    int rw = classes.width(), rh = classes.height();
    if (x0 < 0 || y0 < 0 || x0 + rw > image.width() || y0 + rh > image.height()) {
      throw new IllegalArgumentException("region " + rw + "x" + rh + " at " + x0 + "," + y0
          + " is not inside the " + image.width() + "x" + image.height() + " image");
    }
    FloatImage crop = rw == image.width() && rh == image.height() ? image
        : image.crop(x0, y0, rw, rh);
    try (Predictor view = predictor.window(image, x0, y0, rw, rh)) {
      method.classesAndCut(view, crop, foreground, classes, cut);
    }
  }

  /** Whether the network has a separation head, i.e. {@link #decodeRegion} writes a cut. */
  public boolean cuts() {
    int[] heads = method.pixelHeads(predictor);
    return heads != null && heads[1] >= 0;
  }

  /**
   * The last, whole-image step of {@link #segmentInBands} for a model that
   * {@link #decodesRegions}: instances from the class ids and the cut of the whole image
   * (null when the model does not {@link #cuts}), then the least object area, in place.
   */
  public Segmentation finish(LabelImage classes, LabelImage cut) {
    return new Segmentation(classes, method.instancesOfCut(classes, cuts() ? cut : null), null)
        .dropObjectsUnder(minArea);
  }

  /**
   * Segments the region of {@code image} whose top-left corner is ({@code x0}, {@code y0})
   * and whose size is that of {@code classes} (caller-allocated), writing class ids into
   * {@code classes} and instance ids into {@code instances} (may be null). Only the tiles
   * that reach the region plus a margin of one tile around it are computed, so memory grows
   * with the region, not the image; at full resolution ({@link #workingScale} 1) the
   * network's probabilities in the region are exactly those of {@link #segment}. Decisions that look at whole objects (the separation cut,
   * recursive growth, the least object area) see the region and its margin: an object cut by
   * the region's border may differ from the whole-image result, and instance ids are unique
   * within one call only. At a {@link #workingScale} below 1 the region and its margin are
   * shrunk and segmented as an image of their own, so probabilities near the margin's edge
   * may differ from the whole image's too.
   */
  public void segment(FloatImage image, int x0, int y0, LabelImage classes,
      LabelImage instances) {
    int rw = classes.width(), rh = classes.height();
    if (x0 < 0 || y0 < 0 || x0 + rw > image.width() || y0 + rh > image.height()) {
      throw new IllegalArgumentException("region " + rw + "x" + rh + " at " + x0 + "," + y0
          + " is not inside the " + image.width() + "x" + image.height() + " image");
    }
    if (instances != null && !instances.sameSize(rw, rh)) {
      throw new IllegalArgumentException("instances " + instances.width() + "x"
          + instances.height() + " differ from classes " + rw + "x" + rh);
    }
    int margin = predictor.tileSize();
    int ex = Math.max(0, x0 - margin), ey = Math.max(0, y0 - margin);
    int ew = Math.min(image.width(), x0 + rw + margin) - ex;
    int eh = Math.min(image.height(), y0 + rh + margin) - ey;
    FloatImage window = ex == 0 && ey == 0 && ew == image.width() && eh == image.height()
        ? image : image.crop(ex, ey, ew, eh);
    Segmentation s;
    if (scale != 1) {
      s = WorkingScale.segment(method, predictor, window, scale).withoutObjectsUnder(minArea);
    } else {
      try (Predictor view = predictor.window(image, ex, ey, ew, eh)) {
        s = method.segment(view, window).withoutObjectsUnder(minArea);
      }
    }
    copy(s.classes(), x0 - ex, y0 - ey, classes);
    if (instances != null) {
      copy(s.instances(), x0 - ex, y0 - ey, instances);
      LabelImage renumbered = Components.renumber(instances);
      System.arraycopy(renumbered.data(), 0, instances.data(), 0, rw * rh);
    }
  }

  private static void copy(LabelImage from, int fx, int fy, LabelImage to) {
    for (int y = 0; y < to.height(); y++) {
      System.arraycopy(from.data(), (fy + y) * from.width() + fx, to.data(), y * to.width(),
          to.width());
    }
  }

  /**
   * Writes this model's network as a folder that runs without LazySeg (TorchScript weights,
   * a bioimage.io-style rdf.yaml, a test input cut from {@code sample} and LazySeg's own
   * probabilities for it; see {@link ModelExport}). The network's probabilities are exported;
   * the method's read-out (instances, splitting, least object area) and the enlarging back
   * from the {@link #workingScale} are not (the test input is the sample shrunk by it, and
   * rdf.yaml says so).
   *
   * @param folder a folder that does not exist yet
   * @param license an SPDX identifier for rdf.yaml, or null to leave it out
   */
  public ModelExport.Exported export(FloatImage sample, Path folder, String name, String author,
      String license) throws IOException {
    return ModelExport.write(runDir, checkpoint, sample,
        new ModelExport.Description(name, author, license, method.name(), classNames, scale),
        folder);
  }

  @Override
  public void close() {
    predictor.close();
  }
}
