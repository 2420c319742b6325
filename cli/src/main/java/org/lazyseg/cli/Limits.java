package org.lazyseg.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.lazyseg.core.image.ImageFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Every number a command takes is checked here, before anything is allocated: a number out
 * of range, or one whose memory would exceed what this machine has, is a command-line
 * mistake (exit code 2) named in one line. The memory estimates are rough measures of the
 * U-Net (docs/architecture.md, Memory): they refuse what cannot fit, not what might be slow.
 */
final class Limits {
  private Limits() {}

  /** Class ids must fit a label image: 16-bit PNG. */
  static final int MAX_CLASSES = ImageFiles.MAX_PNG_LABEL;
  /** The largest --crop and --tile. */
  static final int MAX_SIDE = 4096;
  /** More --threads than this many per core only make them wait for each other. */
  static final int MAX_THREADS_PER_CORE = 4;

  /**
   * Training's memory per crop pixel, image of the batch and unit of the U-Net's width
   * (activations kept for the backward pass, their gradients, Adam's state is small beside
   * them): measured 150 to 210 bytes at depth 4 (crops 128 and 256, batch 4 and 8, width 16
   * and 32, peak resident memory less the 280 MB the process holds anyway).
   */
  static final long TRAIN_BYTES_PER_WIDTH = 200;
  /** Training's memory per crop pixel, image of the batch and class of a head: measured 6. */
  static final long TRAIN_BYTES_PER_CLASS = 8;
  /**
   * Prediction's memory per tile pixel and unit of width (no backward pass, but the tile's
   * input, probabilities and their copies in Java): measured about 90 at depth 2.
   */
  static final long PREDICT_BYTES_PER_WIDTH =
      org.lazyseg.train.predict.Predictor.BYTES_PER_PIXEL_AND_WIDTH;
  /** Prediction's memory per tile pixel and class of a head read. */
  static final long PREDICT_BYTES_PER_CLASS =
      org.lazyseg.train.predict.Predictor.BYTES_PER_PIXEL_AND_CLASS;

  /** Refuses with {@code message} (exit code 2, one line) unless {@code ok}. */
  static void require(CommandSpec spec, boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  /** --threads: 1 to {@value #MAX_THREADS_PER_CORE} per core. */
  static void threads(CommandSpec spec, int n) {
    int most = MAX_THREADS_PER_CORE * Runtime.getRuntime().availableProcessors();
    require(spec, n >= 1 && n <= most, "--threads must be between 1 and " + most + " ("
        + MAX_THREADS_PER_CORE + " per core), not " + n);
  }

  /** A number of foreground classes: 1 to {@value #MAX_CLASSES}. */
  static void classes(CommandSpec spec, String option, int k) {
    require(spec, k >= 1 && k <= MAX_CLASSES, option + " must be between 1 and " + MAX_CLASSES
        + " (class ids must fit a 16-bit label image), not " + k);
  }

  /** predict --tile (when given): 1 to {@value #MAX_SIDE} (it is rounded up to the network's multiple). */
  static void tile(CommandSpec spec, Integer tile) {
    require(spec, tile == null || (tile >= 1 && tile <= MAX_SIDE),
        "--tile must be between 1 and " + MAX_SIDE + " pixels, not " + tile);
  }

  /**
   * Training's estimated memory, crop^2 x batch x ({@value #TRAIN_BYTES_PER_WIDTH} x width +
   * {@value #TRAIN_BYTES_PER_CLASS} x the classes of all heads), against this machine's.
   */
  static void trainingMemory(CommandSpec spec, int crop, int batch, int width, int headClasses) {
    double need = (double) crop * crop * batch
        * (TRAIN_BYTES_PER_WIDTH * width + TRAIN_BYTES_PER_CLASS * headClasses);
    long have = memory();
    require(spec, need <= have, String.format(Locale.ROOT, "training crops of %d x %d, batch %d,"
        + " width %d and %d head classes need about %s (crop^2 x batch x (%d x width + %d x"
        + " classes) bytes), more than the %s of this machine: use a smaller --crop, --batch"
        + " or --width", crop, crop, batch, width, headClasses, bytes(need),
        TRAIN_BYTES_PER_WIDTH, TRAIN_BYTES_PER_CLASS, bytes(have)));
  }

  /**
   * Prediction's estimated memory per batch of tiles, tile^2 x tiles x
   * ({@value #PREDICT_BYTES_PER_WIDTH} x width + {@value #PREDICT_BYTES_PER_CLASS} x classes),
   * against this machine's.
   */
  static void tileMemory(CommandSpec spec, int tile, int width, int headClasses) {
    double need = (double) tile * tile
        * (PREDICT_BYTES_PER_WIDTH * width + PREDICT_BYTES_PER_CLASS * headClasses);
    long have = memory();
    require(spec, need <= have, String.format(Locale.ROOT, "tiles of %d x %d for a network of"
        + " width %d and %d head classes need about %s (tile^2 x (%d x width + %d x classes)"
        + " bytes), more than the %s of this machine: use a smaller --tile", tile, tile,
        width, headClasses, bytes(need), PREDICT_BYTES_PER_WIDTH, PREDICT_BYTES_PER_CLASS,
        bytes(have)));
  }

  /**
   * The memory this process may use: the machine's, or its control group's limit (a
   * container's) when that is lower.
   */
  static long memory() {
    long total = Long.MAX_VALUE;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      total = os.getTotalMemorySize();
    }
    for (String limit : new String[] {"/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
      try {
        long bytes = Long.parseLong(Files.readString(Path.of(limit)).strip());
        if (bytes > 0) {
          total = Math.min(total, bytes);
        }
      } catch (IOException | NumberFormatException e) {
        // no such control group, or "max": no limit of its own
      }
    }
    return total;
  }

  /** Bytes for people: 1.5 GiB, 48.0 PiB. */
  static String bytes(double n) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (n >= 1024 && u < units.length - 1) {
      n /= 1024;
      u++;
    }
    return u == 0 ? String.format(Locale.ROOT, "%.0f bytes", n)
        : String.format(Locale.ROOT, "%.1f %s", n, units[u]);
  }
}
