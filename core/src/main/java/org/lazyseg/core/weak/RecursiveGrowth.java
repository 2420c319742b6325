package org.lazyseg.core.weak;

import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;
import org.lazyseg.core.ops.Probabilities;
import org.lazyseg.core.ops.UnionFind;

/**
 * The label algebra of the recursive approximation (docs/methods.md, Recursive
 * approximation): re-labelling a weak image's approximation label between rounds
 * ({@link #relabel}) and the final prediction, seeds from the approximation head grown inside
 * the segmentation head's foreground ({@link #grow}). Both grow by {@link LevelSetGrowth}.
 * Inputs are the heads' class probabilities, [class][pixel] row-major, W x H.
 */
public final class RecursiveGrowth {
  private RecursiveGrowth() {}

  /**
   * The final segmentation from the heads' probabilities ([class][pixel] each; separation
   * nullable): the approximation's argmax grown inside the foreground S with {@code lambda}.
   */
  public static LevelSetGrowth.Grown grow(float[][] segmentation, float[][] approximation,
      float[][] separation, int w, int h, double lambda) {
    return grow(segmentation, approximation, separation, w, h, lambda, false);
  }

  /**
   * The same; with {@code keepUnseeded} the 8-connected components of S that no grown object
   * touches are kept as objects of their own, with the segmentation head's classes.
   */
  public static LevelSetGrowth.Grown grow(float[][] segmentation, float[][] approximation,
      float[][] separation, int w, int h, double lambda, boolean keepUnseeded) {
    return grow(segmentation, approximation, separation, w, h, lambda, keepUnseeded, Double.NaN,
        0);
  }

  /**
   * The same with the seeds cut from the approximation at {@code seedThreshold}: pixels
   * whose foreground probability (1 - background) exceeds it, each of its most likely
   * foreground class. NaN: the approximation's argmax (the paper). Seeds (8-connected) of
   * fewer than {@code minSeed} pixels are dropped.
   */
  public static LevelSetGrowth.Grown grow(float[][] segmentation, float[][] approximation,
      float[][] separation, int w, int h, double lambda, boolean keepUnseeded,
      double seedThreshold, int minSeed) {
    LabelImage fg = new LabelImage(w, h), seeds = new LabelImage(w, h);
    LabelImage argmax = keepUnseeded ? new LabelImage(w, h) : null;
    labelPixels(segmentation, approximation, separation, w * h, 0, seedThreshold, fg, seeds,
        argmax);
    return grow(fg, seeds, argmax, lambda, minSeed);
  }

  /**
   * What {@link #grow(float[][], float[][], float[][], int, int, double, boolean, double,
   * int)} decides pixel by pixel, for {@code count} pixels (a band of rows) written from
   * {@code offset} on (the probabilities are indexed from 0): S into {@code fg}, the seeds
   * into {@code seeds} and, when {@code argmax} is not null, the segmentation head's
   * likeliest class.
   */
  public static void labelPixels(float[][] segmentation, float[][] approximation,
      float[][] separation, int count, int offset, double seedThreshold, LabelImage fg,
      LabelImage seeds, LabelImage argmax) {
    foreground(segmentation, separation, count, offset, fg.data(),
        argmax == null ? null : argmax.data());
    if (Double.isNaN(seedThreshold)) {
      Probabilities.argmax(approximation, count, seeds.data(), offset);
    } else {
      seeds(approximation, count, offset, seedThreshold, seeds.data());
    }
  }

  /**
   * The growth itself, on what {@link #labelPixels} decided for the whole image: S
   * ({@code fg}), the seeds (their classes; small ones are cleared here) and, to keep the
   * unseeded components of S, the segmentation head's argmax (null: dropped). Global: it
   * needs those label images of the whole image and the growth's own (distance maps per
   * object).
   */
  public static LevelSetGrowth.Grown grow(LabelImage fg, LabelImage seeds, LabelImage argmax,
      double lambda, int minSeed) {
    dropSmallSeeds(seeds, minSeed);
    LevelSetGrowth.Grown g = LevelSetGrowth.growClasses(seeds, fg, lambda);
    if (argmax != null) {
      int[] comp = Components.label(fg, Connectivity.EIGHT).data();
      int[] ids = g.instances().data(), cls = g.classes().data();
      int maxComponent = 0;
      for (int k : comp) {
        maxComponent = Math.max(maxComponent, k);
      }
      boolean[] seeded = new boolean[maxComponent + 1];
      for (int i = 0; i < comp.length; i++) {
        if (comp[i] > 0 && ids[i] > 0) {
          seeded[comp[i]] = true;
        }
      }
      int next = Math.max(0, g.instances().max());
      int[] newId = new int[maxComponent + 1];
      int[] classOf = argmax.data();
      for (int i = 0; i < comp.length; i++) {
        int k = comp[i];
        if (k > 0 && !seeded[k] && ids[i] == 0) {
          if (newId[k] == 0) {
            newId[k] = ++next;
          }
          ids[i] = newId[k];
          cls[i] = Math.max(1, classOf[i]);
        }
      }
    }
    return g;
  }

  /**
   * Gives the grown objects back the foreground pixels that no object holds but that touch
   * one through the foreground: the interfaces cut out of S and the bands left to nobody
   * midway between two seeds ({@link LevelSetGrowth}). Each such pixel of {@code argmax}'s
   * foreground joins the object nearest to it along that foreground
   * ({@link Components#spread}), with that object's class, so pixel scores count the
   * foreground the segmentation head found, while neighbours stay separate objects (they may
   * now touch). Pieces of the foreground that reach no object stay background. {@code g}
   * changes in place.
   *
   * @param argmax the segmentation head's most likely class per pixel (0 = background)
   */
  public static void giveBack(LevelSetGrowth.Grown g, LabelImage argmax) {
    int[] ids = g.instances().data(), cls = g.classes().data();
    int objects = Math.max(0, g.instances().max());
    int[] classOf = new int[objects + 1];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] > 0) {
        classOf[ids[i]] = cls[i];
      }
    }
    Components.spread(ids, argmax.data(), argmax.width(), argmax.height());
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] > 0 && cls[i] == 0) {
        cls[i] = classOf[ids[i]];
      }
    }
  }

  /** Clears the 8-connected components of {@code seeds} under {@code minSeed} pixels. */
  public static void dropSmallSeeds(LabelImage seeds, int minSeed) {
    if (minSeed <= 1) {
      return;
    }
    LabelImage components = Components.label(seeds, Connectivity.EIGHT);
    int[] c = components.data(), d = seeds.data();
    int[] area = Components.areas(components);
    for (int i = 0; i < d.length; i++) {
      if (c[i] > 0 && area[c[i]] < minSeed) {
        d[i] = 0;
      }
    }
  }

  /** Pixels of foreground probability above {@code t}, each of its likeliest object class. */
  public static LabelImage seeds(float[][] probabilities, int w, int h, double t) {
    LabelImage s = new LabelImage(w, h);
    seeds(probabilities, w * h, 0, t, s.data());
    return s;
  }

  private static void seeds(float[][] probabilities, int count, int offset, double t,
      int[] out) {
    for (int j = 0; j < count; j++) {
      int best = 0;
      if (1 - probabilities[0][j] > t) {
        best = 1;
        for (int k = 2; k < probabilities.length; k++) {
          if (probabilities[k][j] > probabilities[best][j]) {
            best = k;
          }
        }
      }
      out[offset + j] = best;
    }
  }

  /**
   * S: pixels whose most likely class of the segmentation head is not background, minus
   * those the separation head (nullable) calls interface.
   */
  public static LabelImage foreground(float[][] segmentation, float[][] separation, int w, int h) {
    LabelImage s = new LabelImage(w, h);
    foreground(segmentation, separation, w * h, 0, s.data(), null);
    return s;
  }

  /** S for {@code count} pixels, written from {@code offset} on; also the argmax if asked. */
  private static void foreground(float[][] segmentation, float[][] separation, int count,
      int offset, int[] s, int[] argmax) {
    Probabilities.argmax(segmentation, count, s, offset);
    if (argmax != null) {
      System.arraycopy(s, offset, argmax, offset, count);
    }
    for (int j = 0; j < count; j++) {
      int i = offset + j;
      s[i] = s[i] > 0 && (separation == null || separation[1][j] <= 0.5f) ? 1 : 0;
    }
  }

  /**
   * One re-labelling (docs/methods.md, Recursive approximation): A = {@code predicted} united with
   * {@code current}, keeping only A's 8-connected components that meet {@code current}; A grows
   * inside {@code foreground} with {@code lambda}, seeds taken as A's components and classes by
   * seed ({@link LevelSetGrowth#growClasses(LabelImage, LabelImage, double, LabelImage)}),
   * united with {@code original}. The result contains {@code current} with its classes
   * wherever {@code current} contains {@code original} (as it does from round 0 on).
   *
   * @param current the label of the round that ended (class ids, 0 = rest)
   * @param predicted the approximation head's class ids
   * @param foreground S, every positive pixel
   * @param original the annotator's partial mask (class ids)
   */
  public static LabelImage relabel(LabelImage current, LabelImage predicted,
      LabelImage foreground, double lambda, LabelImage original) {
    return relabel(current, predicted, foreground, lambda, original, null);
  }

  /**
   * {@link #relabel(LabelImage, LabelImage, LabelImage, double, LabelImage)} for one class
   * when the annotator's objects are known: components of A that hold pixels of the same
   * annotated object ({@code originalIds}) are one seed
   * ({@link LevelSetGrowth#growLabelledSeeds}), so an object whose core fell apart into
   * islands grows as one, with no midway gap between its islands. Null ids: as without.
   *
   * @param originalIds instance ids of the annotator's partial mask (single class), or null
   */
  public static LabelImage relabel(LabelImage current, LabelImage predicted,
      LabelImage foreground, double lambda, LabelImage original, LabelImage originalIds) {
    int[] cur = current.data(), pred = predicted.data();
    LabelImage joined = new LabelImage(current.width(), current.height());
    int[] a = joined.data();
    for (int i = 0; i < a.length; i++) {
      a[i] = cur[i] > 0 ? cur[i] : Math.max(0, pred[i]);
    }
    LabelImage components = Components.label(joined, Connectivity.EIGHT);
    int[] c = components.data();
    int n = Math.max(0, components.max());
    boolean[] keep = new boolean[n + 1];
    for (int i = 0; i < c.length; i++) {
      if (cur[i] > 0) {
        keep[c[i]] = true;
      }
    }
    for (int i = 0; i < a.length; i++) {
      if (!keep[c[i]]) {
        a[i] = 0;
        c[i] = 0;
      }
    }
    if (originalIds == null) {
      return LevelSetGrowth.growClasses(joined, foreground, lambda, original).classes();
    }
    // Union-find over components: two components holding pixels of one object join.
    UnionFind sets = new UnionFind(n + 1);
    int[] ids = originalIds.data();
    int maxId = Math.max(0, originalIds.max());
    int[] firstComponent = new int[maxId + 1];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] > 0 && c[i] > 0) {
        if (firstComponent[ids[i]] == 0) {
          firstComponent[ids[i]] = c[i];
        } else {
          sets.union(firstComponent[ids[i]], c[i]);
        }
      }
    }
    LabelImage seeds = new LabelImage(current.width(), current.height());
    int[] seed = seeds.data();
    for (int i = 0; i < seed.length; i++) {
      seed[i] = c[i] > 0 ? sets.find(c[i]) : 0;
    }
    int[] grown = LevelSetGrowth.growLabelledSeeds(seeds, foreground, lambda).data();
    int[] o = original.data();
    LabelImage out = new LabelImage(current.width(), current.height());
    int[] d = out.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = grown[i] > 0 || o[i] > 0 ? 1 : 0;
    }
    return out;
  }

  /**
   * Sets to 0 the pixels of {@code label} that {@code known} calls background (0); IGNORE and
   * object pixels of {@code known} leave it as it is. A null {@code known} changes nothing.
   * Returns {@code label}.
   */
  public static LabelImage clearKnownBackground(LabelImage label, LabelImage known) {
    if (known == null) {
      return label;
    }
    int[] l = label.data(), k = known.data();
    for (int i = 0; i < l.length; i++) {
      if (k[i] == 0) {
        l[i] = 0;
      }
    }
    return label;
  }
}
