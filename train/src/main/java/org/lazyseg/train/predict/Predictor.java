package org.lazyseg.train.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lazyseg.core.image.Channels;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Probabilities;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.nn.Parameters;
import org.lazyseg.train.nn.Precision;
import org.lazyseg.train.nn.PrecisionSwitch;
import org.lazyseg.train.nn.TorchScriptExport;

/**
 * Segments images of any size with overlapping tiles, or small enough ones whole.
 *
 * <p>Tiles of size T (a multiple of 2^(depth-1)) are placed with stride T/2, the last one
 * flush with the image border; an image smaller than T gets one tile per axis, filled by
 * mirroring. Each tile's softmax probabilities are weighted by a Gaussian centred on the
 * tile (sigma = T/8, floored at {@value #MIN_WEIGHT} so tile borders still count), summed
 * per class, and divided by the summed weights. So seams don't show. An image whose padded
 * size is at most {@link #setWholeImagePixels} pixels goes through the network as one tile
 * instead: overlapping tiles compute each pixel about four times (stride T/2 on both axes),
 * one tile once, and it sees all of the image.
 * {@link #probabilities} returns K + 1 float planes of the whole image (K classes and the
 * weights); {@link #stream} keeps the sums only for a band of rows as tall as a tile and hands
 * finished rows over, so its memory beyond the image grows with the width, not the area.
 * Every batch of tiles runs in its own NDManager scope. Batch-norm layers use their running
 * statistics. The tiles are normalised as the model records ({@link Normalization}), with a
 * per-image normalisation's percentiles taken from the whole image before it is tiled.
 * Not thread-safe: use one predictor per thread.
 *
 * <pre>{@code
 * try (Predictor p = Predictor.open(runDir, RunFolder.BEST)) {
 *   LabelImage labels = p.segment(image, 0);
 * }
 * }</pre>
 */
public final class Predictor implements AutoCloseable {
  static final float MIN_WEIGHT = 1e-3f;

  private final Block block;
  private final ModelSpec spec;
  private final NDManager manager;
  private final boolean ownsManager;
  private final ParameterStore parameters;
  private int tileSize;
  private long wholeImagePixels;
  private int tileBatch = 1;
  private int flips = 1;
  /** Set for a window view ({@link #window}): where the images it is given lie in the source. */
  private FloatImage windowSource;
  private int windowX, windowY, windowWidth, windowHeight;
  /** A window view's normalisation: that of its whole source image. */
  private float[][] windowShiftAndScale;

  private Predictor(Block block, ModelSpec spec, NDManager manager, boolean owns, int tile) {
    if (spec.normalization() == null) {
      throw new IllegalArgumentException("the model spec has no normalisation");
    }
    this.block = block;
    this.spec = spec;
    this.manager = manager;
    this.ownsManager = owns;
    this.parameters = new ParameterStore(manager, false);
    setTileSize(tile);
  }

  /**
   * A predictor for a live network (e.g. during training); it does not own {@code block}.
   * {@code tileSize} is rounded up to a multiple of 2^(depth-1).
   */
  public static Predictor of(Block block, ModelSpec spec, NDManager manager, int tileSize) {
    return new Predictor(block, spec, manager.newSubManager(), true, tileSize);
  }

  /** Rebuilds the network of a run folder and loads checkpoint {@code name} (best/last). */
  public static Predictor open(Path runDir, String name) throws IOException {
    return open(runDir, name, Precision.FP32);
  }

  /**
   * Rebuilds the network of a run folder, computing in {@code precision}, and loads
   * checkpoint {@code name} (best/last). The parameters are fp32 whatever precision trained
   * them, so any model runs in either precision.
   */
  public static Predictor open(Path runDir, String name, Precision precision)
      throws IOException {
    RunFolder run = new RunFolder(runDir);
    RunFolder.SavedModel saved = run.readModel();
    Path checkpoint = run.checkpoint(name);
    if (checkpoint == null) {
      throw new java.nio.file.NoSuchFileException(run.checkpoints().resolve(name).toString(),
          null, "no checkpoint '" + name + "' (a run has 'best' and 'last')");
    }
    NDManager manager = NDManager.newBaseManager();
    try {
      Block block = saved.spec().newBlock(precision);
      Parameters.load(block, checkpoint.resolve(RunFolder.PARAMETERS), manager);
      return new Predictor(block, saved.spec(), manager, true, saved.tileSize());
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public ModelSpec spec() { return spec; }

  /**
   * Writes the network, parameters included, as a standalone TorchScript file
   * ({@link TorchScriptExport}): normalised input in, every head's probabilities out, fp32.
   */
  public void writeTorchScript(java.io.OutputStream out) {
    TorchScriptExport.write(block, out);
  }

  /** What the network computes in. */
  public Precision precision() {
    return block instanceof PrecisionSwitch p ? p.precision() : Precision.FP32;
  }

  public int tileSize() { return tileSize; }

  /**
   * A view of this predictor for the window ({@code x0}, {@code y0}, {@code width},
   * {@code height}) of {@code source}: given an image of the window's size (its crop), it
   * returns exactly the probabilities that {@code probabilities(source)} gives there (the same
   * tiles, weights and sums), computing only the tiles that reach the window. Images of another
   * size (e.g. the crop shrunk by a method) are tiled on their own. Every image the view is
   * given is normalised as the whole source image is (a per-image normalisation's percentiles
   * are those of {@code source}, computed once here). The view shares the network; closing
   * it closes nothing.
   */
  public Predictor window(FloatImage source, int x0, int y0, int width, int height) {
    if (x0 < 0 || y0 < 0 || width < 1 || height < 1 || x0 + width > source.width()
        || y0 + height > source.height()) {
      throw new IllegalArgumentException("window " + width + "x" + height + " at " + x0 + ","
          + y0 + " is not inside the " + source.width() + "x" + source.height() + " image");
    }
    Predictor view = new Predictor(block, spec, manager, false, tileSize);
    view.tileBatch = tileBatch;
    view.wholeImagePixels = wholeImagePixels;
    view.flips = flips;
    view.windowSource = Channels.adapt(source, spec.channels());
    view.windowShiftAndScale = spec.normalization().shiftAndScale(view.windowSource);
    view.windowX = x0;
    view.windowY = y0;
    view.windowWidth = width;
    view.windowHeight = height;
    return view;
  }

  /** Tile size, rounded up to a multiple of 2^(depth-1). Larger tiles are faster. */
  public Predictor setTileSize(int size) {
    int m = spec.sizeMultiple();
    this.tileSize = Math.max(m, (size + m - 1) / m * m);
    return this;
  }

  /**
   * Images whose size, rounded up to multiples of 2^(depth-1), is at most {@code pixels} go
   * through the network whole, as one tile; larger ones in tiles of {@link #tileSize}. 0
   * (default) = always tiles. {@link #wholeImagePixels(int, int)} is a budget for it.
   */
  public Predictor setWholeImagePixels(long pixels) {
    this.wholeImagePixels = Math.max(0, pixels);
    return this;
  }

  /**
   * How many pixels an image may have to go through a network of this width and these head
   * classes whole: about {@value #WHOLE_IMAGE_BYTES} bytes of activations at {@value
   * #BYTES_PER_PIXEL_AND_WIDTH} bytes per pixel and unit of width and {@value
   * #BYTES_PER_PIXEL_AND_CLASS} per head class (forward pass, softmax and sums), and at most
   * 1024 x 1024 pixels.
   */
  public static long wholeImagePixels(int width, int headClasses) {
    long perPixel = BYTES_PER_PIXEL_AND_WIDTH * Math.max(1, width)
        + BYTES_PER_PIXEL_AND_CLASS * headClasses;
    return Math.min(1024L * 1024, WHOLE_IMAGE_BYTES / perPixel);
  }

  /** {@link #wholeImagePixels(int, int)} for this spec's width and all its heads' classes. */
  public static long wholeImagePixels(ModelSpec spec) {
    return wholeImagePixels(spec.width(), java.util.Arrays.stream(spec.heads()).sum());
  }

  /** Memory a whole image may take in the network, in bytes. */
  static final long WHOLE_IMAGE_BYTES = 1_000_000_000L;
  /** Activation bytes per pixel and unit of network width when segmenting. */
  public static final long BYTES_PER_PIXEL_AND_WIDTH = 100;
  /** Bytes per pixel and head class when segmenting (probabilities and their sums). */
  public static final long BYTES_PER_PIXEL_AND_CLASS = 12;

  /** How many tiles go through the network at once (default 1). */
  public Predictor setTileBatch(int tiles) {
    this.tileBatch = Math.max(1, tiles);
    return this;
  }

  /** The flip choices of {@link #setFlips}. */
  public static final List<Integer> FLIPS = List.of(1, 2, 4);

  /**
   * Test-time flips: each tile also goes through the network mirrored left-right (2), and
   * also upside down and both (4); the flipped outputs are mirrored back and the softmax
   * probabilities averaged per tile, so tiling, bands and windows are unchanged. 1 (default)
   * = the tile as it is; each flip costs one more forward pass.
   */
  public Predictor setFlips(int n) {
    this.flips = requireFlips(n);
    return this;
  }

  /** {@code n} when it is one of {@link #FLIPS}; else IllegalArgumentException. */
  public static int requireFlips(int n) {
    if (!FLIPS.contains(n)) {
      throw new IllegalArgumentException("flips must be 1, 2 or 4, not " + n);
    }
    return n;
  }

  /** Argmax over the classes of {@code head}. */
  public LabelImage segment(FloatImage image, int head) {
    return Probabilities.argmax(probabilities(image, head), image.width(), image.height());
  }

  /** Per class of {@code head}, the probability of every pixel, row-major (H x W). */
  public float[][] probabilities(FloatImage image, int head) {
    return probabilities(image, new int[] {head})[0];
  }

  /** The same for several heads in one pass over the tiles: [head][class][pixel]. */
  public float[][][] probabilities(FloatImage image, int... heads) {
    float[][][][] whole = new float[1][][][];
    run(image, heads, false, (y0, rows, p) -> whole[0] = p);
    return whole[0];
  }

  /**
   * Finished rows of probabilities ({@link #stream}). The planes are the predictor's band:
   * read them during the call, they are overwritten after it.
   */
  @FunctionalInterface
  public interface Rows {
    /**
     * Rows {@code y0} to {@code y0 + rows - 1} of the image: {@code p[head][class][(y - y0) *
     * width + x]} for the heads asked for, in that order; the planes may be longer than
     * {@code rows * width}.
     */
    void accept(int y0, int rows, float[][][] p);
  }

  /**
   * The probabilities of {@link #probabilities(FloatImage, int...)}, bit for bit, handed to
   * {@code rows} a band of rows at a time, top to bottom, as soon as no later tile reaches
   * them, instead of as planes of the whole image: the sums are kept for the rows that
   * tiles of the current tile row (with default tile batches) reach, so the memory beyond
   * the image is 4 x (classes of the heads + 1) x width x tile bytes, whatever the height.
   */
  public void stream(FloatImage image, Rows rows, int... heads) {
    run(image, heads, true, rows);
  }

  private void run(FloatImage image, int[] heads, boolean bands, Rows rows) {
    if (windowSource != null && image.width() == windowWidth
        && image.height() == windowHeight) {
      run(windowSource, windowShiftAndScale, windowX, windowY, image.width(), image.height(),
          heads, bands, rows);
    } else {
      FloatImage input = Channels.adapt(image, spec.channels());
      // The whole image's normalisation (per-image percentiles of all of it), before tiling.
      float[][] norm = windowSource != null ? windowShiftAndScale
          : spec.normalization().shiftAndScale(input);
      run(input, norm, 0, 0, input.width(), input.height(), heads, bands, rows);
    }
  }

  /**
   * Probabilities of the window (rx, ry, rw, rh) of {@code input} (already of the model's
   * channel count, normalised by {@code norm}, its {@link Normalization#shiftAndScale}) as the
   * whole image's tiling gives them: tiles that miss the window are
   * skipped, the others accumulate in the same order as for the whole image. Without
   * {@code bands} the sums are planes of the window, handed over once at the end; with, they
   * are a band of rows that moves down: after each batch of tiles the rows above the next
   * tile are final, are divided by their weights, handed over and dropped. Each pixel sees
   * the same additions in the same order either way.
   */
  private void run(FloatImage input, float[][] norm, int rx, int ry, int rw, int rh,
      int[] heads, boolean bands, Rows rows) {
    int w = input.width(), h = input.height();
    int m = spec.sizeMultiple();
    int pw = roundUp(w, m), ph = roundUp(h, m);
    boolean whole = (long) pw * ph <= wholeImagePixels;
    int tw = whole ? pw : Math.min(tileSize, pw), th = whole ? ph : Math.min(tileSize, ph);
    int[] xs = starts(w, tw), ys = starts(h, th);
    float[] gx = gaussian(tw), gy = gaussian(th);
    int[] classes = spec.heads();
    int channels = spec.channels(), tilePixels = tw * th;
    List<int[]> tiles = new ArrayList<>();
    for (int y0 : ys) {
      for (int x0 : xs) {
        if (x0 < rx + rw && x0 + tw > rx && y0 < ry + rh && y0 + th > ry) {
          tiles.add(new int[] {x0, y0});
        }
      }
    }
    int band = bands ? bandRows(tiles, th, ry, rh) : rh;
    float[][][] sums = new float[heads.length][][];
    for (int i = 0; i < heads.length; i++) {
      sums[i] = new float[classes[heads[i]]][rw * band];
    }
    float[] weights = new float[rw * band];
    int top = ry;   // the band's first row: every row above it is handed over
    for (int first = 0; first < tiles.size(); first += tileBatch) {
      int n = Math.min(tileBatch, tiles.size() - first);
      float[] batch = new float[n * channels * tilePixels];
      for (int j = 0; j < n; j++) {
        int[] t = tiles.get(first + j);
        fillTile(input, norm, t[0], t[1], tw, th, batch, j * channels * tilePixels);
      }
      int bh = Math.min(band, ry + rh - top);
      try (NDManager scope = manager.newSubManager()) {
        NDArray[] mean = tileProbabilities(
            scope.create(batch, new Shape(n, channels, th, tw)), heads);
        for (int i = 0; i < heads.length; i++) {
          float[] p = mean[i].toFloatArray();
          int k = classes[heads[i]];
          for (int j = 0; j < n; j++) {
            int[] t = tiles.get(first + j);
            accumulate(p, j * k * tilePixels, sums[i], k, t[0], t[1], tw, th, w, h,
                rx, top, rw, bh, gx, gy, i == 0 ? weights : null);
          }
        }
      }
      int next = first + n;
      if (bands && next < tiles.size()) {
        top = handOver(sums, weights, rw, band, ry, top,
            Math.max(ry, Math.min(ry + rh, tiles.get(next)[1])), rows);
      }
    }
    handOver(sums, weights, rw, band, ry, top, ry + rh, rows);
  }

  /** Axes (of N, C, H, W) mirrored by each flip pass after the first. */
  private static final int[][] FLIP_AXES = {{3}, {2}, {2, 3}};

  /**
   * Softmax probabilities of {@code heads} for a batch of tiles: the mean over the flip
   * passes ({@link #setFlips}), each flipped output mirrored back first.
   */
  private NDArray[] tileProbabilities(NDArray tiles, int[] heads) {
    NDList out = block.forward(parameters, new NDList(tiles), false);
    NDArray[] p = new NDArray[heads.length];
    for (int i = 0; i < heads.length; i++) {
      p[i] = out.get(heads[i]).softmax(1);
    }
    for (int f = 0; f < flips - 1; f++) {
      int[] axes = FLIP_AXES[f];
      NDList flipped = block.forward(parameters, new NDList(tiles.flip(axes)), false);
      for (int i = 0; i < heads.length; i++) {
        p[i] = p[i].add(flipped.get(heads[i]).softmax(1).flip(axes));
      }
    }
    if (flips > 1) {
      for (int i = 0; i < heads.length; i++) {
        p[i] = p[i].div(flips);
      }
    }
    return p;
  }

  /**
   * The rows of the band that the sums of the tiles before each batch and the batch's own
   * tiles reach: the height the band needs (at most the tile height plus the rows a batch
   * spans beyond the first tile row).
   */
  private int bandRows(List<int[]> tiles, int th, int ry, int rh) {
    int rows = 1, top = ry;
    for (int first = 0; first < tiles.size(); first += tileBatch) {
      int last = Math.min(first + tileBatch, tiles.size()) - 1;
      rows = Math.max(rows, Math.min(ry + rh, tiles.get(last)[1] + th) - top);
      if (last + 1 < tiles.size()) {
        top = Math.max(top, Math.max(ry, Math.min(ry + rh, tiles.get(last + 1)[1])));
      }
    }
    return Math.min(rows, rh);
  }

  /**
   * Normalises rows [top, end) of the band, hands them over (numbered from the window's
   * first row {@code ry}) and moves the band down to start at {@code end}; returns the new
   * top.
   */
  private static int handOver(float[][][] sums, float[] weights, int rw, int band, int ry,
      int top, int end, Rows rows) {
    int n = (end - top) * rw;
    if (n <= 0) {
      return top;
    }
    for (float[][] head : sums) {
      for (float[] plane : head) {
        for (int i = 0; i < n; i++) {
          plane[i] /= weights[i];
        }
      }
    }
    rows.accept(top - ry, end - top, sums);
    int kept = band * rw - n;
    if (kept > 0) {
      for (float[][] head : sums) {
        for (float[] plane : head) {
          shift(plane, n, kept);
        }
      }
      shift(weights, n, kept);
    }
    return end;
  }

  /** Moves {@code kept} values from {@code from} to the front and zeroes the rest. */
  private static void shift(float[] plane, int from, int kept) {
    System.arraycopy(plane, from, plane, 0, kept);
    Arrays.fill(plane, kept, plane.length, 0f);
  }

  private static void accumulate(float[] p, int offset, float[][] sums, int classes,
      int x0, int y0, int tw, int th, int w, int h, int rx, int ry, int rw, int rh,
      float[] gx, float[] gy, float[] weights) {
    int yStart = Math.max(0, ry - y0), xStart = Math.max(0, rx - x0);
    int yEnd = Math.min(Math.min(th, h - y0), ry + rh - y0);
    int xEnd = Math.min(Math.min(tw, w - x0), rx + rw - x0);
    for (int y = yStart; y < yEnd; y++) {
      for (int x = xStart; x < xEnd; x++) {
        float g = gy[y] * gx[x];
        int out = (y0 + y - ry) * rw + x0 + x - rx;
        for (int c = 0; c < classes; c++) {
          sums[c][out] += g * p[offset + (c * th + y) * tw + x];
        }
        if (weights != null) {
          weights[out] += g;
        }
      }
    }
  }

  /**
   * Tile at (x0, y0), normalised by {@code norm} ({@link Normalization#shiftAndScale});
   * positions beyond the image are mirrored back into it.
   */
  private static void fillTile(FloatImage image, float[][] norm, int x0, int y0, int tw,
      int th, float[] out, int offset) {
    int w = image.width(), h = image.height();
    float[] data = image.data();
    for (int c = 0; c < image.channels(); c++) {
      float mean = norm[0][c], inv = norm[1][c];
      for (int y = 0; y < th; y++) {
        int sy = mirror(y0 + y, h);
        int row = (c * h + sy) * w, dst = offset + (c * th + y) * tw;
        for (int x = 0; x < tw; x++) {
          out[dst + x] = (data[row + mirror(x0 + x, w)] - mean) * inv;
        }
      }
    }
  }

  static int mirror(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * n - 2;
    i = Math.floorMod(i, period);
    return i < n ? i : period - i;
  }

  /** Tile origins along an axis: stride t/2, the last flush with the end. */
  static int[] starts(int length, int tile) {
    if (length <= tile) {
      return new int[] {0};
    }
    int stride = Math.max(1, tile / 2);
    int count = (length - tile + stride - 1) / stride + 1;
    int[] s = new int[count];
    for (int i = 0; i < count; i++) {
      s[i] = Math.min(i * stride, length - tile);
    }
    return s;
  }

  static float[] gaussian(int size) {
    double sigma = size / 8.0, centre = size / 2.0;
    float[] g = new float[size];
    for (int i = 0; i < size; i++) {
      double d = i + 0.5 - centre;
      g[i] = (float) Math.max(MIN_WEIGHT, Math.exp(-d * d / (2 * sigma * sigma)));
    }
    return g;
  }

  private static int roundUp(int v, int m) {
    return (v + m - 1) / m * m;
  }

  @Override
  public void close() {
    if (ownsManager) {
      manager.close();
    }
  }

  /** For tests: runs the network once on a whole (already sized) input. */
  NDArray forwardDirect(NDArray input, int head) {
    return block.forward(parameters, new NDList(input), false).get(head);
  }

}
