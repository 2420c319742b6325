package org.lazyseg.experiments.bench;

import static org.bytedeco.opencv.global.opencv_core.setNumThreads;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.DistanceTransforms;
import org.lazyseg.core.ops.DistanceTransforms.Border;
import org.lazyseg.core.weak.LazyLabels;
import org.lazyseg.core.weak.LevelSetGrowth;
import org.lazyseg.core.weak.ObjectSize;
import org.lazyseg.core.weak.ObjectSizeTest;
import org.lazyseg.core.weak.SuperpixelVoting;

/**
 * Java side of {@code bench/weak_core.sh}: times the weak-label core on the inputs the Python
 * side ({@code bench/weak_core.py}) times, with the same operations and parameters, and
 * prints one JSON line per operation and input (keys as {@code weak_core.py time}).
 *
 * <pre>
 * WeakCoreBenchmark prepare OUTDIR [--glas DATA] [--glas-id ID] [--seed N]
 *     writes OUTDIR/flipmask-256.png (a filled ellipse, 0/1) and, when DATA exists,
 *     OUTDIR/glas-seeds.png (a simulated partial mask of one GlaS training image: instance
 *     ids of the cores, LazyLabels.partialMask) and OUTDIR/glas-foreground.png (its truth, 0/1)
 * WeakCoreBenchmark time [--repeats N] [--blobs IMAGE.png...] [--levelset SEEDS FG]
 *     [--lambda L] [--flips MASK] [--skip OP[:SIZE]...] [--save DIR]
 * </pre>
 *
 * <p>Operations: {@code edt} and {@code cdt_chessboard}, distances of the mask
 * {@code grey >= 128} to the nearest non-mask pixel inside the image (SciPy's convention, our
 * {@link Border#INSIDE_ONLY}); {@code felzenszwalb} (scale 100, sigma 0.5, min size 20, as
 * scikit-image's); {@code levelset}, {@link LevelSetGrowth#growInstances} of the seeds towards
 * the foreground; {@code size_flips}, {@link ObjectSize#sizesAfterSingleFlips}. Warm-up calls
 * until 2 s have passed (the JIT compiles a hot loop after some calls, later on a loaded
 * machine), then {@code repeats} timed calls; a first call with more than 5 s of CPU is timed
 * itself and is the only sample. Wall time and this thread's CPU time are both reported; OpenCV
 * runs on this one thread ({@code setNumThreads(0)}), as SciPy and scikit-image do. {@code --save DIR} writes each result (after timing) as
 * little-endian float32 or int32 to {@code DIR/java-OP-SIZE.raw} for {@code weak_core.py
 * compare}.
 */
public final class WeakCoreBenchmark {
  /** Same as weak_core.py: skimage felzenszwalb(scale=100, sigma=0.5, min_size=20). */
  static final double SCALE = 100, SIGMA = 0.5;
  static final int MIN_SIZE = 20;
  /** A first call with more CPU ms than this is the only sample. */
  static final double LONG_MS = 5000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Warm-up, as weak_core.py: calls until 2 s have passed (the JIT compiles hot loops late). */
  static final double WARMUP_MS = 2000;

  private WeakCoreBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: WeakCoreBenchmark prepare|time ...");
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "prepare" -> prepare(rest);
      case "time" -> time(rest);
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  private static void prepare(String[] args) {
    Path out = Path.of(args[0]);
    Path glas = null;
    String glasId = "train_1";
    long seed = 0;
    for (int a = 1; a < args.length; a++) {
      switch (args[a]) {
        case "--glas" -> glas = Path.of(args[++a]);
        case "--glas-id" -> glasId = args[++a];
        case "--seed" -> seed = Long.parseLong(args[++a]);
        default -> throw new IllegalArgumentException("unknown option " + args[a]);
      }
    }
    ImageFiles.writeLabels(ObjectSizeTest.filledEllipse(256, 256), out.resolve("flipmask-256.png"));
    if (glas == null || !Files.isDirectory(glas)) {
      log("no GlaS data at " + glas + ": the levelset benchmark is left out");
      return;
    }
    String id = glasId;
    Path data = glas;
    Sample s = Dataset.open(data).sample(id)
        .orElseThrow(() -> new IllegalArgumentException("no sample " + id + " in " + data));
    LabelImage instances = s.loadInstances();
    LabelImage partial = LazyLabels.partialMask(instances, null, new Random(seed));
    // Instance ids per core (the seeds are A > 0; growInstances takes A's components).
    int[] p = partial.data(), ids = instances.data();
    for (int i = 0; i < p.length; i++) {
      p[i] = p[i] > 0 ? ids[i] : 0;
    }
    ImageFiles.writeLabels(partial, out.resolve("glas-seeds.png"));
    ImageFiles.writeLabels(instances.foreground(), out.resolve("glas-foreground.png"));
    log("GlaS " + id + ": " + instances.width() + "x" + instances.height() + ", "
        + org.lazyseg.core.ops.Components.countIds(instances) + " objects");
  }

  private static void time(String[] args) {
    int repeats = 3;
    double lambda = 0.5;
    List<Path> blobs = new ArrayList<>();
    Path seeds = null, foreground = null, flips = null, save = null;
    Set<String> skip = new HashSet<>();
    for (int a = 0; a < args.length; a++) {
      switch (args[a]) {
        case "--repeats" -> repeats = Integer.parseInt(args[++a]);
        case "--lambda" -> lambda = Double.parseDouble(args[++a]);
        case "--levelset" -> {
          seeds = Path.of(args[++a]);
          foreground = Path.of(args[++a]);
        }
        case "--flips" -> flips = Path.of(args[++a]);
        case "--save" -> save = Path.of(args[++a]);
        case "--blobs" -> {
          while (a + 1 < args.length && !args[a + 1].startsWith("--")) {
            blobs.add(Path.of(args[++a]));
          }
        }
        case "--skip" -> {
          while (a + 1 < args.length && !args[a + 1].startsWith("--")) {
            skip.add(args[++a]);
          }
        }
        default -> throw new IllegalArgumentException("unexpected argument " + args[a]);
      }
    }
    // One thread, as SciPy and scikit-image: OpenCV runs sequentially in the calling thread, so
    // this thread's CPU time is the whole cost (GC and JIT threads aside).
    setNumThreads(0);
    // Load OpenCV's native libraries outside the timings (as Python's imports are).
    LabelImage tiny = new LabelImage(4, 4, new int[] {0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0});
    DistanceTransforms.euclidean(tiny, Border.INSIDE_ONLY);
    SuperpixelVoting.superpixels(new FloatImage(4, 4, 1), SCALE, SIGMA, MIN_SIZE);
    Timer timer = new Timer(repeats, skip, save);
    for (Path file : blobs) {
      FloatImage grey = ImageFiles.readImage(file);
      LabelImage mask = threshold(grey);
      String size = grey.width() + "x" + grey.height();
      timer.run("edt", size, () -> DistanceTransforms.euclidean(mask, Border.INSIDE_ONLY));
      timer.run("cdt_chessboard", size,
          () -> DistanceTransforms.chebyshev(mask, Border.INSIDE_ONLY));
      timer.run("felzenszwalb", size,
          () -> SuperpixelVoting.superpixels(grey, SCALE, SIGMA, MIN_SIZE));
    }
    if (seeds != null) {
      LabelImage a = ImageFiles.readLabels(seeds);
      LabelImage s = ImageFiles.readLabels(foreground);
      double l = lambda;
      timer.run("levelset", a.width() + "x" + a.height(),
          () -> LevelSetGrowth.growInstances(a, s, l));
    }
    if (flips != null) {
      LabelImage m = ImageFiles.readLabels(flips);
      timer.run("size_flips", m.width() + "x" + m.height(),
          () -> ObjectSize.sizesAfterSingleFlips(m));
    }
  }

  /** Grey >= 128 of 255 (read as v / 255), exactly as the Python side thresholds. */
  static LabelImage threshold(FloatImage grey) {
    float[] g = grey.data();
    int[] m = new int[grey.width() * grey.height()];
    for (int i = 0; i < m.length; i++) {
      m[i] = Math.round(g[i] * 255f) >= 128 ? 1 : 0;
    }
    return new LabelImage(grey.width(), grey.height(), m);
  }

  private static void log(String message) {
    System.err.println("[java " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
  }

  /** Times operations and prints a JSON line for each (see the class comment). */
  private record Timer(int repeats, Set<String> skip, Path save) {
    void run(String op, String size, Supplier<?> work) {
      if (skip.contains(op) || skip.contains(op + ":" + size)) {
        log(op + " " + size + " skipped");
        return;
      }
      log(op + " " + size + " ...");
      Object[] result = new Object[1];
      double[] first = call(work, result);
      double[] ms, cpu;
      if (first[1] > LONG_MS) {
        ms = new double[] {first[0]};
        cpu = new double[] {first[1]};
      } else {
        double warm = first[0];
        while (warm < WARMUP_MS) {
          warm += call(work, result)[0];
        }
        ms = new double[repeats];
        cpu = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          double[] t = call(work, result);
          ms[r] = t[0];
          cpu[r] = t[1];
        }
      }
      String extra = op.equals("felzenszwalb") && result[0] instanceof LabelImage l
          ? ", \"segments\": " + l.max() : "";
      System.out.printf(Locale.ROOT,
          "{\"impl\": \"java\", \"op\": \"%s\", \"size\": \"%s\", \"repeats\": %d,"
              + " \"median_ms\": %.3f, \"min_ms\": %.3f, \"median_cpu_ms\": %.3f, \"ms\": [%s],"
              + " \"cpu_ms\": [%s]%s}%n",
          op, size, ms.length, median(ms), Arrays.stream(ms).min().orElseThrow(), median(cpu),
          list(ms), list(cpu), extra);
      System.out.flush();
      if (save != null) {
        write(save.resolve("java-" + op + "-" + size + ".raw"), result[0]);
      }
    }

    /** One call: {wall ms, CPU ms of this thread}; the result goes to {@code out[0]}. */
    private static double[] call(Supplier<?> work, Object[] out) {
      long t0 = System.nanoTime();
      long c0 = THREADS.getCurrentThreadCpuTime();
      out[0] = work.get();
      return new double[] {(System.nanoTime() - t0) / 1e6,
          (THREADS.getCurrentThreadCpuTime() - c0) / 1e6};
    }

    private static double median(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int k = sorted.length;
      return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    }

    private static String list(double[] values) {
      StringBuilder all = new StringBuilder();
      for (double v : values) {
        all.append(all.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
      }
      return all.toString();
    }
  }

  /** Little-endian float32 (float[]) or int32 (LabelImage, int[]). */
  private static void write(Path file, Object result) {
    ByteBuffer buf;
    if (result instanceof float[] f) {
      buf = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      buf.asFloatBuffer().put(f);
    } else {
      int[] d = result instanceof LabelImage l ? l.data() : (int[]) result;
      buf = ByteBuffer.allocate(d.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      buf.asIntBuffer().put(d);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
