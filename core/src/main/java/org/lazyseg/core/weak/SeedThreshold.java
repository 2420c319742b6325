package org.lazyseg.core.weak;

import java.util.List;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;

/**
 * How sure the approximation head must be before a pixel seeds an object of the recursive
 * method's final prediction, chosen on the weakly labelled training images with nothing but
 * their partial masks.
 *
 * <p>Why: after ten rounds the approximation labels are near-full masks, so the head's
 * argmax joins neighbouring glands and grown from it they stay joined (on GlaS the object
 * Dice fell below the segmentation head's own). Its most confident pixels are cores again,
 * one per object, and grown inside the segmentation they keep the objects apart. Too high a
 * threshold loses objects or breaks one into several cores. The partial masks tell how many
 * objects there are and roughly where: the setting (threshold and least seed area) whose
 * grown objects score the best object Dice against the annotated cores wins
 * ({@link #agreement}).
 */
public final class SeedThreshold {
  /** Thresholds tried, ascending; 0.5 is the argmax of a single-class head. */
  public static final List<Double> CANDIDATES = List.of(0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99);
  /**
   * Least seed areas tried, as shares of the median annotated core: at high thresholds a
   * gland's surest pixels fall apart into islands, each of which would grow into an object.
   */
  public static final List<Double> MIN_SEED_SHARES = List.of(0.0, 0.1, 0.2);
  /** Weak training images predicted for the choice (the first by id): enough to count on. */
  public static final int MAX_IMAGES = 24;

  /**
   * How predicted objects agree with the annotated cores, pooled over images: one-to-one
   * pairs, cores, objects that meet a core, and the sum over images of the core object Dice.
   */
  public record Agreement(int pairs, int cores, int objects, double coreDiceSum, int images) {
    public static final Agreement NONE = new Agreement(0, 0, 0, 0, 0);

    public Agreement plus(Agreement o) {
      return new Agreement(pairs + o.pairs, cores + o.cores, objects + o.objects,
          coreDiceSum + o.coreDiceSum, images + o.images);
    }

    /** 2 pairs / (cores + objects): 1 when every core has its own object and vice versa. */
    public double f1() {
      return cores + objects == 0 ? 0 : 2.0 * pairs / (cores + objects);
    }

    /**
     * The mean over images of GlaS object Dice on the annotated pixels only (see
     * {@link #agreement}): the criterion of the choice.
     */
    public double coreDice() {
      return images == 0 ? 0 : coreDiceSum / images;
    }
  }

  /**
   * One setting tried and, once scored, its agreement with the cores.
   *
   * @param minSeedShare the least seed area as a share of the median core
   * @param minSeed the same in pixels
   */
  public record Candidate(double threshold, double minSeedShare, int minSeed, double coreDice,
      double f1, int pairs, int cores, int objects) {
    /** This setting with its agreement with the cores. */
    public Candidate scored(Agreement a) {
      return new Candidate(threshold, minSeedShare, minSeed, a.coreDice(), a.f1(), a.pairs(),
          a.cores(), a.objects());
    }
  }

  private SeedThreshold() {}

  /** Every threshold with every least seed area, unscored, for these cores. */
  public static List<Candidate> candidates(List<LabelImage> cores) {
    int median = medianCoreArea(cores);
    List<Candidate> out = new java.util.ArrayList<>();
    for (double share : MIN_SEED_SHARES) {
      for (double t : CANDIDATES) {
        out.add(new Candidate(t, share, (int) Math.round(share * median), 0, 0, 0, 0, 0));
      }
    }
    return out;
  }

  /** The median area in pixels of the cores of all these images (0 without any). */
  public static int medianCoreArea(List<LabelImage> cores) {
    List<Integer> areas = new java.util.ArrayList<>();
    for (LabelImage c : cores) {
      int[] area = Components.areas(c);
      for (int k = 1; k < area.length; k++) {
        if (area[k] > 0) {
          areas.add(area[k]);
        }
      }
    }
    java.util.Collections.sort(areas);
    return areas.isEmpty() ? 0 : areas.get(areas.size() / 2);
  }

  /** The candidate of the highest core object Dice; on a tie the first (lower settings). */
  public static Candidate best(List<Candidate> scored) {
    Candidate best = scored.get(0);
    for (Candidate c : scored) {
      if (c.coreDice() > best.coreDice()) {
        best = c;
      }
    }
    return best;
  }

  /**
   * Compares predicted objects with the annotated cores of one image.
   *
   * <p>Core object Dice: the GlaS object Dice ({@link
   * org.lazyseg.core.measure.ObjectMeasures#objectDice}) with the cores as the truth and
   * every object cut down to its annotated pixels (the cores are all that is known of the
   * objects). Like the test measure it weighs objects by area: a sliver chipped off a gland
   * costs little, two glands joined into one object much, a gland left without an object all
   * its weight. Pairs: a core and an object pair off when the object is the only one the core
   * meets and the core the only one the object meets (reported, not the criterion). Objects
   * that meet no core count in neither (the annotator may have marked no core there, and the
   * re-labelling never adds such objects either).
   *
   * @param objects predicted instance ids (0 background)
   * @param cores the annotator's objects: one id per object, 0 elsewhere
   */
  public static Agreement agreement(LabelImage objects, LabelImage cores) {
    int[] o = objects.data(), c = cores.data();
    int nObjects = Math.max(0, objects.max()), nCores = Math.max(0, cores.max());
    // Overlaps on the annotated pixels, sparse: (object, core) -> pixels.
    java.util.Map<Long, Integer> overlap = new java.util.HashMap<>();
    long[] coreSize = new long[nCores + 1], objectOnCores = new long[nObjects + 1];
    for (int i = 0; i < o.length; i++) {
      if (c[i] > 0) {
        coreSize[c[i]]++;
        if (o[i] > 0) {
          objectOnCores[o[i]]++;
          overlap.merge((long) o[i] * (nCores + 1) + c[i], 1, Integer::sum);
        }
      }
    }
    // The largest partner of each core and object, and how many partners each has.
    int[] bestObject = new int[nCores + 1], bestCore = new int[nObjects + 1];
    int[] bestObjectOverlap = new int[nCores + 1], bestCoreOverlap = new int[nObjects + 1];
    int[] partnersOfCore = new int[nCores + 1], partnersOfObject = new int[nObjects + 1];
    for (java.util.Map.Entry<Long, Integer> e : new java.util.TreeMap<>(overlap).entrySet()) {
      int obj = (int) (e.getKey() / (nCores + 1)), core = (int) (e.getKey() % (nCores + 1));
      int n = e.getValue();
      partnersOfCore[core]++;
      partnersOfObject[obj]++;
      if (n > bestObjectOverlap[core]) {
        bestObjectOverlap[core] = n;
        bestObject[core] = obj;
      }
      if (n > bestCoreOverlap[obj]) {
        bestCoreOverlap[obj] = n;
        bestCore[obj] = core;
      }
    }
    int pairs = 0;
    for (int k = 1; k <= nCores; k++) {
      int obj = bestObject[k];
      if (obj > 0 && partnersOfCore[k] == 1 && partnersOfObject[obj] == 1) {
        pairs++;
      }
    }
    Side coreSide = side(coreSize, objectOnCores, bestObject, bestObjectOverlap);
    Side objectSide = side(objectOnCores, coreSize, bestCore, bestCoreOverlap);
    if (coreSide.total == 0) {
      return Agreement.NONE;   // nothing annotated: the image says nothing
    }
    double dice = objectSide.total == 0 ? 0 : 0.5 * (coreSide.mean() + objectSide.mean());
    return new Agreement(pairs, coreSide.count, objectSide.count, dice, 1);
  }

  /** One side of the object Dice: how many, their area, and the sum of area x Dice. */
  private record Side(int count, long total, double areaTimesDice) {
    /** sum_i w_i Dice_i with w_i = area_i / total area. */
    double mean() {
      return areaTimesDice / total;
    }
  }

  /**
   * Each id of positive {@code size} with its best partner (0: none, Dice 0), Dice computed
   * as 2 overlap / (size + partner's size).
   */
  private static Side side(long[] size, long[] partnerSize, int[] partner, int[] overlap) {
    int count = 0;
    long total = 0;
    double sum = 0;
    for (int k = 1; k < size.length; k++) {
      if (size[k] > 0) {
        count++;
        total += size[k];
        if (partner[k] > 0) {
          sum += size[k] * 2.0 * overlap[k] / (size[k] + partnerSize[partner[k]]);
        }
      }
    }
    return new Side(count, total, sum);
  }

  /**
   * The annotator's objects in a partial mask: its instance ids where a single-class mask
   * holds several (one gland's core may be many islands), else its 8-connected components.
   */
  public static LabelImage cores(LabelImage partial, int classes) {
    if (classes == 1 && partial.max() > 1) {
      LabelImage ids = partial.copy();
      int[] d = ids.data();
      for (int i = 0; i < d.length; i++) {
        d[i] = Math.max(0, d[i]);
      }
      return ids;
    }
    LabelImage fg = partial.copy();
    int[] d = fg.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = d[i] > 0 ? 1 : 0;
    }
    return Components.label(fg, Connectivity.EIGHT);
  }
}
