package org.lazyseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.data.OutputFolder;
import org.lazyseg.train.RunFolder;
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
        "Images up to about 0.6 megapixels (at the standard network width) go through the network whole; larger ones in overlapping tiles, each tile's class probabilities weighted by a Gaussian centred on it, summed and normalised: no seams, any image size, bounded memory. Writes OUT/ID.png (class ids: 0 background, 1..K; 8-bit when K < 256; ID is the file name without extension and an OME-TIFF's .ome; a stack, i.e. a multi-page TIFF, ImageJ hyperstack or OME-TIFF, gives one output per plane, OUT/ID_z0001.png, ID_t0001.png or ID_p0001.png for plain pages), and on request OUT/probabilities/ID.png (16-bit foreground probability), OUT/instances/ID.png (16-bit instance ids, or a 32-bit OUT/instances/ID.tif above 65535 objects; touching objects are cut apart where the model has a separation task), OUT/overlays/ID.png, OUT/rois/ID.zip (ImageJ ROIs) and OUT/objects.csv.",
        "A batch goes on past a file it cannot read (one line names it and the reason) and exits with 3 when any failed. Run it again with the same --out and it segments only the images whose outputs are not all there; every file is written under a temporary name and renamed, so a killed run leaves no half file."})
public final class PredictCommand implements Callable<Integer> {
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

  @Option(names = "--tile", paramLabel = "T", description = "Tile size, 1 to 4096 (larger is faster and uses more memory: about T x T x 100 x the network's width bytes per tile, and a band of 4 x T x image width x classes bytes). Default: each image whole, in one pass, where it fits in about 1 GB (up to about 600,000 pixels at the standard width of 16, e.g. 800 x 750), else tiles of the run's size.")
  Integer tile;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Segment on Apache Spark instead of in this process: MASTER is local[N] (N tasks in this JVM), or a cluster's master URL (spark://HOST:7077, yarn, k8s://...; untested). Images are split among the tasks, images larger than --spark-region into regions; the outputs are those of predict, plus OUT/objects.parquet (implies --measure). Needs the spark module (./lazyseg adds it when this option is given; docs/spark.md).")
  String spark;

  @Option(names = "--spark-region", paramLabel = "PIXELS", defaultValue = "4096",
      description = "With --spark: an image wider or taller than this is segmented in regions of this size, one Spark task each (for models that decode pixel by pixel; docs/spark.md). Default: ${DEFAULT-VALUE}.")
  int sparkRegion;

  /** Runs {@code lazyseg predict} on Spark: the spark module's, found on the class path. */
  public interface OnSpark {
    /**
     * Segments {@code items} on the Spark master {@code master}; the output folder is claimed
     * and the settings checked. Returns the exit code.
     */
    int predict(String master, int region, Prediction.Settings settings,
        List<Prediction.Item> items, PrintWriter log) throws IOException;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getErr();
    Limits.require(spec, minArea == null || minArea >= 0, "--min-area must be >= 0, not " + minArea);
    Limits.tile(spec, tile);
    Limits.require(spec, plane == null || plane >= 1, "--plane counts from 1, not " + plane);
    Limits.require(spec, channel == null || channel >= 1, "--channel counts from 1, not " + channel);
    Limits.require(spec, sparkRegion >= 1, "--spark-region must be >= 1, not " + sparkRegion);
    if (!Files.isDirectory(model) || !Files.isRegularFile(new RunFolder(model).modelFile())) {
      throw new LazySeg.InputException(model + ": not a run folder (no model.json); train one with lazyseg train");
    }
    RunFolder.SavedModel saved = new RunFolder(model).readModel();
    if (saved.spec() != null) {   // a model.json without one is named when the model is opened
      Limits.tileMemory(spec, tile != null ? tile : saved.tileSize(), saved.spec().width(),
          java.util.Arrays.stream(saved.spec().heads()).sum());
    }
    Prediction.Settings settings = new Prediction.Settings(model.toString(), checkpoint,
        input.toString(), split, out.toString(), probabilities, instances, rois, overlays,
        measure, overwrite, minArea, plane, channel, tile, threads.threads(),
        precision.precision());
    List<Prediction.Item> items = Prediction.items(settings);
    OutputFolder.requireOutside(out, input);
    OnSpark onSpark = spark == null ? null : onSpark();
    OutputFolder.claim(out, "lazyseg predict", overwrite, "--overwrite");
    if (onSpark != null) {
      int code = onSpark.predict(spark, sparkRegion, settings.measured(), items, log);
      log.flush();
      return code;
    }
    long start = System.nanoTime();
    Prediction.Tally tally = new Prediction.Tally();
    // A large image segments for minutes without a line: without a terminal, say so every 30 s.
    try (QuietWatch watch = new QuietWatch(log, System.console() != null ? 0
            : ProgressListener.QUIET_SECONDS, "opening the model");
        SegmentationModel segmenter = SegmentationModel.open(model, settings.modelOptions())) {
      log = watch.log();
      log.println("lazyseg: " + segmenter.describe());
      log.println("lazyseg: " + precision.describe());
      Prediction prediction = new Prediction(settings, segmenter.classNames(),
          Prediction.units(settings, items));
      if (prediction.pixelSizesFound() != null) {
        log.println("lazyseg: pixel sizes from " + prediction.pixelSizesFound());
      }
      for (int n = 0; n < items.size(); n++) {
        Prediction.Item item = items.get(n);
        if (!overwrite && plane == null && prediction.done(item.id())) {
          log.println(Prediction.counter(n + 1, items.size(), item.id()) + "done before, skipped");
          tally.before++;
          tally.outputs.add(item.id());
        } else {
          watch.doing(Prediction.counter(n + 1, items.size(), item.id()) + "segmenting");
          tally.add(prediction.segmentFile(segmenter, item, n + 1, items.size(), log));
        }
        log.flush();
      }
      log.printf(Locale.ROOT, "lazyseg: %s, in %.1f s -> %s%n", tally.summary(),
          (System.nanoTime() - start) / 1e9, out);
      prediction.mergeTable(tally, log);
    }
    log.flush();
    return tally.failed > 0 ? LazySeg.EXIT_INPUT : 0;
  }

  /** The spark module's {@link OnSpark}, or a one-line error saying how to get it. */
  private static OnSpark onSpark() {
    return java.util.ServiceLoader.load(OnSpark.class).findFirst().orElseThrow(() ->
        new LazySeg.InputException("--spark needs LazySeg's spark module on the class path:"
            + " run ./lazyseg predict --spark ... (the launcher adds spark/target/lib), or"
            + " spark-submit the job class org.lazyseg.spark.SparkPredictJob (docs/spark.md)"));
  }
}
