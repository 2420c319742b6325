package org.lazyseg.core.weak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.lazyseg.core.data.CsvTable;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.DatasetException;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.OutputFolder;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.PixelMeasures;

/**
 * The lazy-label simulator (docs/methods.md, Simulated lazy labels): from a dataset with full
 * ground truth, writes a dataset in which a seeded fraction of the training images keeps its strong
 * masks and the others carry only cheap labels (partial masks, scribbles, sizes, tags) derived from
 * the truth. Test images are copied untouched. Same seed, same output.
 *
 * <pre>
 * OUT/images/, split.csv, classes.txt   copied
 * OUT/masks/ (+ instances/)             strong training images and every non-training image
 * OUT/partial/, OUT/scribbles/          training images picked for those labels
 * OUT/pseudo/                           when asked for: GrabCut pseudo masks from the partial masks
 * OUT/sizes.csv, OUT/tags.csv           every training image, when asked for
 * OUT/overlays/ID.png                   the cheap labels over each training image, to check at a glance
 * OUT/overlays/pseudo/ID.png            the pseudo masks, likewise
 * </pre>
 *
 * <p>Partial masks follow the dataset's convention: class ids with classes.txt, else instance
 * ids (each object's core carries the object's id, so a core that falls apart into islands is
 * still known as one object). Pseudo masks ({@link PseudoLabels#pseudoMask}, default settings)
 * are made for every training image with a partial mask, in parallel over images; GrabCut is
 * deterministic, so the output does not depend on the number of threads.
 */
public final class Simulator {
  private Simulator() {}

  /**
   * @param strong fraction of training images keeping their strong masks
   * @param partial fraction of training images given a partial mask
   * @param scribbles fraction of training images given separation scribbles
   * @param sizes write sizes.csv (object size g of each training image's foreground)
   * @param tags write tags.csv (class present / absent)
   * @param overlays write overlay pictures of the cheap labels
   * @param pseudo write pseudo/ID.png for every training image with a partial mask
   * @param threads images processed at once for the pseudo masks, at least 1
   */
  public record Options(double strong, double partial, double scribbles, boolean sizes,
      boolean tags, boolean overlays, long seed, boolean pseudo, int threads, Mix mix) {
    public Options {
      for (double f : new double[] {strong, partial, scribbles}) {
        if (!(f >= 0 && f <= 1)) {
          throw new IllegalArgumentException("fractions must be in [0, 1]: " + f);
        }
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1: " + threads);
      }
    }

    /** Fractions per label, each drawn on its own (no mix). */
    public Options(double strong, double partial, double scribbles, boolean sizes, boolean tags,
        boolean overlays, long seed, boolean pseudo, int threads) {
      this(strong, partial, scribbles, sizes, tags, overlays, seed, pseudo, threads, null);
    }

    /**
     * Each training image gets the labels of one kind of {@code mix}, or none (the fractions
     * and the sizes and tags switches are not used).
     */
    public static Options ofMix(Mix mix, boolean overlays, long seed, boolean pseudo,
        int threads) {
      return new Options(mix.strong(), mix.partial(), mix.scribbles(), mix.sizes() > 0,
          mix.tags() > 0, overlays, seed, pseudo, threads, mix);
    }

    /** Without pseudo masks. */
    public Options(double strong, double partial, double scribbles, boolean sizes, boolean tags,
        boolean overlays, long seed) {
      this(strong, partial, scribbles, sizes, tags, overlays, seed, false, 1);
    }
  }

  /**
   * Shares of the training images per label kind, for a mixed dataset: each image gets the
   * labels of one kind; {@code partial} is a partial mask with its scribbles (the lazy-labels
   * pair), {@code scribbles} scribbles alone. The shares sum to at most 1; the images left over
   * get no label. Counts are the shares of the n training images rounded so that they sum to
   * the rounded total (largest remainders; ties to the earlier kind).
   */
  public record Mix(double strong, double partial, double scribbles, double sizes,
      double tags) {
    /** The kinds in the order of {@link #shares} and of {@code --mix}. */
    public static final List<String> KINDS = List.of("strong", "partial", "scribbles", "sizes",
        "tags");

    public Mix {
      double sum = 0;
      for (double f : new double[] {strong, partial, scribbles, sizes, tags}) {
        if (!(f >= 0 && f <= 1)) {
          throw new IllegalArgumentException("--mix shares must be in [0, 1], not " + f);
        }
        sum += f;
      }
      if (sum > 1 + 1e-9) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "--mix shares must sum to at most 1, not %.4g", sum));
      }
    }

    /** {@code strong=0.05,partial=0.6,tags=0.35}: kinds not named get 0. */
    public static Mix parse(String text) {
      double[] f = new double[KINDS.size()];
      boolean[] seen = new boolean[KINDS.size()];
      for (String part : text.split(",")) {
        String[] kv = part.split("=", 2);
        int k = KINDS.indexOf(kv[0].trim());
        if (kv.length != 2 || k < 0) {
          throw new IllegalArgumentException("--mix takes KIND=SHARE,... with KIND one of "
              + String.join(", ", KINDS) + ", not '" + part.trim() + "'");
        }
        if (seen[k]) {
          throw new IllegalArgumentException("--mix names " + KINDS.get(k) + " twice");
        }
        seen[k] = true;
        try {
          f[k] = Double.parseDouble(kv[1].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--mix: " + KINDS.get(k) + " must be a number, not '"
              + kv[1].trim() + "'");
        }
      }
      return new Mix(f[0], f[1], f[2], f[3], f[4]);
    }

    public double[] shares() {
      return new double[] {strong, partial, scribbles, sizes, tags};
    }

    /** How many of {@code n} images get each kind. */
    public int[] counts(int n) {
      double[] shares = shares();
      int[] counts = new int[shares.length];
      double total = 0;
      int given = 0;
      for (int k = 0; k < shares.length; k++) {
        total += shares[k];
        counts[k] = (int) Math.floor(shares[k] * n + 1e-9);
        given += counts[k];
      }
      int target = (int) Math.min(n, Math.round(total * n));
      while (given < target) {
        int best = -1;
        double bestRest = -1;
        for (int k = 0; k < shares.length; k++) {
          double rest = shares[k] * n - counts[k];
          if (shares[k] > 0 && rest > bestRest + 1e-12) {
            best = k;
            bestRest = rest;
          }
        }
        counts[best]++;
        given++;
      }
      return counts;
    }

    /** The kind of each image: a seeded shuffle of the ids, cut by {@link #counts}. */
    public java.util.Map<String, String> assign(List<String> ids, long seed) {
      List<String> order = new java.util.ArrayList<>(ids);
      order.sort(null);
      java.util.Collections.shuffle(order, new Random(seed ^ 0x313CL));
      int[] counts = counts(order.size());
      java.util.Map<String, String> kinds = new java.util.HashMap<>();
      int next = 0;
      for (int k = 0; k < counts.length; k++) {
        for (int i = 0; i < counts[k]; i++) {
          kinds.put(order.get(next++), KINDS.get(k));
        }
      }
      return kinds;
    }
  }

  /**
   * What was written, for a summary line.
   *
   * @param cost the annotation cost of the training images' labels, in strong masks
   *     ({@link AnnotationCost})
   */
  public record Summary(int images, int strong, int partial, int scribbled,
      long scribblePixels, double meanPartialDice, int pseudo, double meanPseudoDice,
      int sized, int tagged, double cost) {
    @Override
    public String toString() {
      String text = String.format(Locale.ROOT,
          "%d images: %d strong, %d partial (mean Dice vs truth %.3f), %d with scribbles (%d pixels)",
          images, strong, partial, meanPartialDice, scribbled, scribblePixels);
      if (sized > 0 || tagged > 0) {
        text += String.format(Locale.ROOT, ", %d with a size, %d with tags", sized, tagged);
      }
      text += String.format(Locale.ROOT, "; annotation cost %.2f strong masks", cost);
      if (pseudo > 0) {
        text += String.format(Locale.ROOT, ", %d pseudo masks (mean Dice vs truth %.3f)", pseudo,
            meanPseudoDice);
      }
      return text;
    }
  }

  public static Summary simulate(Dataset from, Path out, Options options, ProgressCallback progress) {
    OutputFolder.newDataset(out, "lazyseg simulate", from.dir());
    List<Sample> train = from.samples(Dataset.TRAIN);
    List<String> trainIds = train.stream().map(Sample::id).toList();
    Set<String> strong, partial, scribbled, sized, tagged;
    if (options.mix() == null) {
      strong = new HashSet<>(LazyLabels.strongSubset(trainIds, options.strong(), options.seed()));
      partial = new HashSet<>(LazyLabels.strongSubset(trainIds, options.partial(), options.seed() + 1));
      scribbled = new HashSet<>(LazyLabels.strongSubset(trainIds, options.scribbles(), options.seed() + 2));
      sized = options.sizes() ? Set.copyOf(trainIds) : Set.of();
      tagged = options.tags() ? Set.copyOf(trainIds) : Set.of();
    } else {
      // Only images with a mask can be given labels; the others stay as they are.
      java.util.Map<String, String> kinds = options.mix().assign(train.stream()
          .filter(s -> s.mask().isPresent()).map(Sample::id).toList(), options.seed());
      strong = idsOf(kinds, "strong");
      partial = idsOf(kinds, "partial");
      scribbled = new HashSet<>(partial);
      scribbled.addAll(idsOf(kinds, "scribbles"));
      sized = idsOf(kinds, "sizes");
      tagged = idsOf(kinds, "tags");
    }
    int classes = from.classNames().size();
    boolean classIds = from.labelsHoldClassIds();
    List<Sample> all = from.samples();
    // Training images with a mask picked for a partial mask: each gets one, and a pseudo mask.
    List<Sample> withPartial = all.stream()
        .filter(s -> Dataset.TRAIN.equals(s.split()) && s.mask().isPresent()
            && partial.contains(s.id()))
        .toList();
    int total = all.size() + (options.pseudo() ? withPartial.size() : 0);
    try {
      Files.createDirectories(out);
      copyIfPresent(from.dir().resolve("split.csv"), out.resolve("split.csv"));
      copyIfPresent(from.dir().resolve("classes.txt"), out.resolve("classes.txt"));
      CsvTable.Writer sizes = CsvTable.of("id", "size");
      List<String> tagHeader = new ArrayList<>(List.of("id"));
      tagHeader.addAll(from.classNames());
      CsvTable.Writer tags = CsvTable.of(tagHeader.toArray(String[]::new));

      int done = 0;
      int partialCount = 0;
      int sizeCount = 0;
      int tagCount = 0;
      double cost = 0;
      double diceSum = 0;
      long scribblePixels = 0;
      for (Sample s : all) {
        Path image = out.resolve("images").resolve(s.image().getFileName());
        Files.createDirectories(image.getParent());
        Files.copy(s.image(), image);
        boolean isTrain = Dataset.TRAIN.equals(s.split());
        if (s.mask().isPresent() && (!isTrain || strong.contains(s.id()))) {
          copyLabels(s, out);
        }
        if (isTrain && s.mask().isPresent()) {
          Random rnd = new Random(options.seed() * 1_000_003L + s.id().hashCode());
          LabelImage instances = s.loadInstances();
          LabelImage cls = s.loadClasses();
          LabelImage part = null;
          LabelImage scrib = null;
          if (partial.contains(s.id())) {
            part = LazyLabels.partialMask(instances, classes > 1 ? cls : null, rnd);
            if (!classIds) {
              part = instanceIdsOf(part, instances);
            }
            ImageFiles.writeLabels(part, out.resolve("partial").resolve(s.id() + ".png"));
            diceSum += PixelMeasures.dice(cls, part);
            partialCount++;
          }
          if (scribbled.contains(s.id())) {
            scrib = LazyLabels.scribbles(instances, 1);
            for (int v : scrib.data()) {
              scribblePixels += v > 0 ? 1 : 0;
            }
            ImageFiles.writeLabels(scrib, out.resolve("scribbles").resolve(s.id() + ".png"));
          }
          if (sized.contains(s.id())) {
            sizeCount++;
            sizes.row(s.id(), LazyLabels.size(cls));
          }
          if (tagged.contains(s.id())) {
            tagCount++;
            boolean[] present = LazyLabels.tags(cls, classes); // indexed by class id, 0 = background
            tags.row(CsvTable.idAndFlags(s.id(), Arrays.copyOfRange(present, 1, classes + 1)));
          }
          cost += AnnotationCost.of(kindsOf(s.id(), strong, partial, scribbled, sized, tagged));
          if (options.overlays() && (part != null || scrib != null)) {
            FloatImage img = s.loadImage();
            Overlays.writeOverlay(out.resolve("overlays").resolve(s.id() + ".png"), img,
                part != null ? part : new LabelImage(img.width(), img.height()),
                classIds ? Overlays.Colouring.BY_CLASS : Overlays.Colouring.BY_INSTANCE, scrib);
          }
        }
        progress.progress(++done, total, s.id());
      }
      double[] pseudoDice = options.pseudo()
          ? writePseudoMasks(from, withPartial, out, options, progress, done, total)
          : new double[0];
      if (options.sizes()) {
        sizes.write(out.resolve("sizes.csv"));
      }
      if (options.tags()) {
        tags.write(out.resolve("tags.csv"));
      }
      double pseudoSum = 0;
      for (double d : pseudoDice) {
        pseudoSum += d;
      }
      return new Summary(all.size(), strong.size(), partialCount, scribbled.size(), scribblePixels,
          partialCount == 0 ? Double.NaN : diceSum / partialCount, pseudoDice.length,
          pseudoDice.length == 0 ? Double.NaN : pseudoSum / pseudoDice.length, sizeCount,
          tagCount, cost);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  private static Set<String> idsOf(java.util.Map<String, String> kinds, String kind) {
    Set<String> ids = new HashSet<>();
    kinds.forEach((id, k) -> {
      if (k.equals(kind)) {
        ids.add(id);
      }
    });
    return ids;
  }

  /** The labels written for a training image. */
  private static Set<LabeledImage.Kind> kindsOf(String id, Set<String> strong,
      Set<String> partial, Set<String> scribbled, Set<String> sized, Set<String> tagged) {
    Set<LabeledImage.Kind> kinds = java.util.EnumSet.noneOf(LabeledImage.Kind.class);
    if (strong.contains(id)) {
      kinds.add(LabeledImage.Kind.MASK);
    }
    if (partial.contains(id)) {
      kinds.add(LabeledImage.Kind.PARTIAL);
    }
    if (scribbled.contains(id)) {
      kinds.add(LabeledImage.Kind.SCRIBBLES);
    }
    if (sized.contains(id)) {
      kinds.add(LabeledImage.Kind.SIZE);
    }
    if (tagged.contains(id)) {
      kinds.add(LabeledImage.Kind.TAGS);
    }
    return kinds;
  }

  /** The instance id of every positive pixel of {@code part}. */
  private static LabelImage instanceIdsOf(LabelImage part, LabelImage instances) {
    int[] p = part.data(), ids = instances.data();
    int[] out = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = p[i] > 0 ? ids[i] : 0;
    }
    return new LabelImage(part.width(), part.height(), out);
  }

  /**
   * GrabCut pseudo masks from the partial masks just written, in parallel over images; returns
   * each one's Dice against the truth, in the order of {@code samples}.
   */
  private static double[] writePseudoMasks(Dataset from, List<Sample> samples, Path out,
      Options options, ProgressCallback progress, int done, int total) {
    boolean classIds = from.labelsHoldClassIds();
    double[] dice = new double[samples.size()];
    AtomicInteger finished = new AtomicInteger(done);
    ForkJoinPool pool = new ForkJoinPool(options.threads());
    try {
      pool.submit(() -> IntStream.range(0, samples.size()).parallel().forEach(k -> {
        Sample s = samples.get(k);
        FloatImage image = s.loadImage();
        LabelImage partial = ImageFiles.readLabels(out.resolve("partial").resolve(s.id() + ".png"));
        LabelImage pseudo = PseudoLabels.pseudoMask(image, null, partial, classIds);
        ImageFiles.writeLabels(pseudo, out.resolve("pseudo").resolve(s.id() + ".png"));
        if (options.overlays()) {
          Overlays.writeOverlay(out.resolve("overlays").resolve("pseudo").resolve(s.id() + ".png"),
              image, pseudo,
              classIds ? Overlays.Colouring.BY_CLASS : Overlays.Colouring.BY_INSTANCE, null);
        }
        dice[k] = PixelMeasures.dice(s.loadClasses(), pseudo);
        int n = finished.incrementAndGet();
        synchronized (progress) {
          progress.progress(n, total, s.id());
        }
      })).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing pseudo masks", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdown();
    }
    return dice;
  }

  private static void copyLabels(Sample s, Path out) throws IOException {
    Path mask = out.resolve("masks").resolve(s.mask().get().getFileName());
    Files.createDirectories(mask.getParent());
    Files.copy(s.mask().get(), mask);
    if (s.instances().isPresent()) {
      Path inst = out.resolve("instances").resolve(s.instances().get().getFileName());
      Files.createDirectories(inst.getParent());
      Files.copy(s.instances().get(), inst);
    }
  }

  private static void copyIfPresent(Path from, Path to) throws IOException {
    if (Files.isRegularFile(from)) {
      Files.copy(from, to);
    }
  }

}
