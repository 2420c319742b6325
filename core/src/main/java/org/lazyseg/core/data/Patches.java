package org.lazyseg.core.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.ImageFiles.ImageFileException;
import org.lazyseg.core.image.LabelImage;

/**
 * Cuts the images of a dataset into square patches with image-level tags, positive and
 * negative, for training from tags (docs/methods.md, Image tags; the paper crops its large
 * microscope images into patches and needs negative ones).
 *
 * <p>Each image is covered by a grid of S x S patches at stride T (default S: no overlap),
 * the last row and column flush with the image border, so every pixel is in some patch and
 * all patches have the same size; images smaller than S in either direction are skipped.
 * What a patch is tagged with:
 * <ul>
 *   <li>an image with a mask: class k is present in the patch iff at least one of its pixels
 *       has class k. The patch's mask is written too (instance ids, or class ids with
 *       classes.txt), for evaluation and for a fully supervised reference. A patch in which
 *       some class covers fewer than {@code minPixels} (but more than 0) pixels is left out
 *       as ambiguous (a sliver of an object cut by the patch border).
 *   <li>an image with tags only: every patch of an image tagged all-absent is negative; the
 *       patches of an image with a present class cannot be told apart and are left out.
 *   <li>an image with neither: left out.
 * </ul>
 * Partial masks, scribbles and sizes are not carried over. Optionally ({@code balance}) each
 * split keeps as many positive as negative patches (any class present vs none), dropping a
 * seeded random surplus of the more frequent kind, and ({@code limit}) at most so many of
 * each kind per split.
 *
 * <pre>
 * OUT/images/ID_X_Y.png     the patch with top-left corner (X, Y), exact source pixels
 * OUT/masks/ID_X_Y.png      its mask (images with masks only)
 * OUT/tags.csv              id,CLASS1,...  0/1 for every patch
 * OUT/split.csv             id,split       the split of the source image
 * OUT/patches.csv           id,source,x,y  where each patch came from
 * OUT/classes.txt           copied when present
 * </pre>
 *
 * <pre>{@code
 * Patches.Summary s = Patches.cut(Dataset.open(dir), out, Patches.Options.of(128),
 *     ProgressCallback.NONE);
 * }</pre>
 */
public final class Patches {
  private Patches() {}

  /**
   * @param size side S of the square patches
   * @param stride distance T between neighbouring patches (S: no overlap)
   * @param minPixels a class covering 1 .. minPixels - 1 pixels of a patch makes it ambiguous
   *     (left out); 1 keeps every patch
   * @param balance keep equally many positive and negative patches in each split
   * @param limit keep at most this many positive and this many negative patches in each
   *     split (0: no limit)
   * @param seed for the balancing and limiting draws
   */
  public record Options(int size, int stride, int minPixels, boolean balance, int limit,
      long seed) {
    public Options {
      if (size < 1 || stride < 1 || minPixels < 1 || limit < 0) {
        throw new IllegalArgumentException("need size, stride and min pixels >= 1, limit >= 0: "
            + size + ", " + stride + ", " + minPixels + ", " + limit);
      }
    }

    /** Non-overlapping S x S patches, all kept. */
    public static Options of(int size) {
      return new Options(size, size, 1, false, 0, 0);
    }
  }

  /**
   * What was written.
   *
   * @param images source images read
   * @param positive patches with at least one class present
   * @param negative patches with no class present
   * @param ambiguous patches left out because of slivers (see {@code minPixels})
   * @param unlabelled patches left out because their image has no mask and a present tag,
   *     or no label at all
   * @param dropped patches left out by balancing or the limit
   * @param tooSmall images left out because they are smaller than a patch
   */
  public record Summary(int images, int positive, int negative, int ambiguous, int unlabelled,
      int dropped, int tooSmall) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%d images: %d positive and %d negative patches written; left out: %d ambiguous, "
              + "%d without labels, %d by balancing or limit; %d images smaller than a patch",
          images, positive, negative, ambiguous, unlabelled, dropped, tooSmall);
    }
  }

  /** One patch to write. */
  private record Patch(Sample source, int x, int y, boolean[] tags) {
    String id() {
      return source.id() + "_" + x + "_" + y;
    }

    boolean positive() {
      for (boolean t : tags) {
        if (t) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Writes the patch dataset of {@code from} into {@code out} (which must not hold a dataset).
   *
   * @throws DatasetException for a bad source file or an output folder holding a dataset
   */
  public static Summary cut(Dataset from, Path out, Options options, ProgressCallback progress) {
    OutputFolder.newDataset(out, "lazyseg patches", from.dir());
    int classes = from.classNames().size();
    boolean classIds = Files.isRegularFile(from.dir().resolve("classes.txt"));
    List<Sample> samples = from.samples();
    // Pass 1: tag every grid patch (reads masks), pass 2: write the chosen ones.
    Map<Sample, List<Patch>> chosen = new LinkedHashMap<>();
    List<Patch> all = new ArrayList<>();
    int ambiguous = 0, unlabelled = 0, tooSmall = 0;
    int total = 2 * samples.size(), done = 0;
    for (Sample s : samples) {
      int[] wh = s.imageSize();
      int[] xs = starts(wh[0], options.size(), options.stride());
      int[] ys = starts(wh[1], options.size(), options.stride());
      if (xs.length == 0 || ys.length == 0) {
        tooSmall++;
      } else if (s.mask().isPresent()) {
        LabelImage cls = s.loadClasses();
        for (int y : ys) {
          for (int x : xs) {
            int[] counts = classCounts(cls, x, y, options.size(), classes);
            boolean[] tags = new boolean[classes];
            boolean sliver = false;
            for (int k = 0; k < classes; k++) {
              tags[k] = counts[k] > 0;
              sliver |= counts[k] > 0 && counts[k] < options.minPixels();
            }
            if (sliver) {
              ambiguous++;
            } else {
              all.add(new Patch(s, x, y, tags));
            }
          }
        }
      } else if (s.tags().isPresent() && !anyTrue(s.tags().get())) {
        for (int y : ys) {
          for (int x : xs) {
            all.add(new Patch(s, x, y, new boolean[classes]));
          }
        }
      } else {
        unlabelled += xs.length * ys.length;
      }
      progress.progress(++done, total, s.id());
    }
    int dropped = 0;
    Set<Patch> keep = new HashSet<>(all);
    if (options.balance() || options.limit() > 0) {
      Random rng = new Random(options.seed());
      for (String split : new TreeSet<>(from.splits())) {
        List<Patch> pos = new ArrayList<>(), neg = new ArrayList<>();
        for (Patch p : all) {
          if (p.source().split().equals(split)) {
            (p.positive() ? pos : neg).add(p);
          }
        }
        int balanced = options.balance() ? Math.min(pos.size(), neg.size()) : Integer.MAX_VALUE;
        int cap = Math.min(balanced, options.limit() > 0 ? options.limit() : Integer.MAX_VALUE);
        for (List<Patch> kind : List.of(pos, neg)) {
          Collections.shuffle(kind, rng);
          for (Patch p : kind.subList(Math.min(cap, kind.size()), kind.size())) {
            keep.remove(p);
            dropped++;
          }
        }
      }
    }
    for (Patch p : all) {
      if (keep.contains(p)) {
        chosen.computeIfAbsent(p.source(), k -> new ArrayList<>()).add(p);
      }
    }

    int positive = 0, negative = 0;
    List<String> tagHeader = new ArrayList<>(List.of("id"));
    tagHeader.addAll(from.classNames());
    CsvTable.Writer tagsCsv = CsvTable.of(tagHeader.toArray(String[]::new));
    CsvTable.Writer splitCsv = CsvTable.of("id", "split");
    CsvTable.Writer sourceCsv = CsvTable.of("id", "source", "x", "y");
    try {
      Files.createDirectories(out.resolve("images"));
      if (classIds) {
        Files.copy(from.dir().resolve("classes.txt"), out.resolve("classes.txt"));
      }
      for (Sample s : samples) {
        List<Patch> patches = chosen.getOrDefault(s, List.of());
        if (!patches.isEmpty()) {
          BufferedImage image = readImage(s.image());
          LabelImage mask = s.mask().isEmpty() ? null
              : classIds ? s.loadClasses() : s.loadInstances();
          int size = options.size();
          for (Patch p : patches) {
            String id = p.id();
            ImageFiles.write(image.getSubimage(p.x(), p.y(), size, size),
                out.resolve("images").resolve(id + ".png"));
            if (mask != null) {
              ImageFiles.writeLabels(mask.crop(p.x(), p.y(), size, size, 0),
                  out.resolve("masks").resolve(id + ".png"));
            }
            tagsCsv.row(CsvTable.idAndFlags(id, p.tags()));
            splitCsv.row(id, s.split());
            sourceCsv.row(id, s.id(), p.x(), p.y());
            if (p.positive()) {
              positive++;
            } else {
              negative++;
            }
          }
        }
        progress.progress(++done, total, s.id());
      }
      tagsCsv.write(out.resolve("tags.csv"));
      splitCsv.write(out.resolve("split.csv"));
      sourceCsv.write(out.resolve("patches.csv"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    return new Summary(samples.size(), positive, negative, ambiguous, unlabelled, dropped,
        tooSmall);
  }

  /**
   * Left edges of S-wide windows at stride T covering [0, length): 0, T, 2T, ... and a last
   * one flush with the end; none when length < S.
   */
  static int[] starts(int length, int size, int stride) {
    if (length < size) {
      return new int[0];
    }
    List<Integer> out = new ArrayList<>();
    for (int s = 0; s + size < length; s += stride) {
      out.add(s);
    }
    out.add(length - size);
    return out.stream().distinct().mapToInt(Integer::intValue).toArray();
  }

  /** Pixels of class k + 1 at index k inside the window. */
  private static int[] classCounts(LabelImage cls, int x0, int y0, int size, int classes) {
    int[] counts = new int[classes];
    int w = cls.width();
    int[] d = cls.data();
    for (int y = y0; y < y0 + size; y++) {
      for (int x = x0; x < x0 + size; x++) {
        int v = d[y * w + x];
        if (v > 0 && v <= classes) {
          counts[v - 1]++;
        }
      }
    }
    return counts;
  }

  private static boolean anyTrue(boolean[] values) {
    for (boolean v : values) {
      if (v) {
        return true;
      }
    }
    return false;
  }

  /** The image with its own pixel type, so patches keep the exact source values. */
  private static BufferedImage readImage(Path file) {
    try {
      return ImageFiles.readBufferedImage(file);
    } catch (ImageFileException e) {
      throw new DatasetException(e.getMessage(), e);
    }
  }
}
