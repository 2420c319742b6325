package org.lazyseg.experiments.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.ImageScores;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Connectivity;
import org.lazyseg.core.weak.SeparationCut;
import org.lazyseg.train.predict.Predictor;

/**
 * How a multi-task run scores when its foreground comes from other rules than the
 * segmentation head's argmax: the detection head alone, the mean of the two heads'
 * probabilities, segmentation components that the detection head supports, each with and
 * without a horizontal-flip average. Instances are the multi-task cut (interfaces at 0.1,
 * pieces >= 32 px) where the run has a separation head, else components.
 * usage: bench/tool HeadCombos RUN DATA SPLIT
 */
public final class HeadCombos {
  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    Dataset data = Dataset.open(Path.of(args[1]));
    String split = args[2];
    Map<String, List<ImageScores>> scores = new LinkedHashMap<>();
    try (Predictor predictor = Predictor.open(run, "best")) {
      int heads = predictor.spec().heads().length;
      int[] all = new int[heads];
      for (int h = 0; h < heads; h++) {
        all[h] = h;
      }
      for (Sample s : data.samples(split)) {
        FloatImage image = ImageFiles.readImage(s.image());
        LabelImage truth = ImageFiles.readLabels(s.mask().orElseThrow());
        int w = image.width(), h = image.height();
        float[][][] p = predictor.probabilities(image, all);
        float[][][] q = predictor.probabilities(flip(image), all);
        float[][] sep = heads > 2 ? p[2] : null;
        float[] seg = p[0][1], det = heads > 1 ? p[1][1] : seg;   // a U-net: its one head twice
        float[] segT = average(seg, flip(q[0][1], w, h)), detT = average(det, flip(q[heads > 1 ? 1 : 0][1], w, h));
        float[][] sepT = sep == null ? null
            : new float[][] {null, average(sep[1], flip(q[2][1], w, h))};
        Map<String, LabelImage> rules = new LinkedHashMap<>();
        LabelImage segFg = cut(seg, w, h, 0.5), segFgT = cut(segT, w, h, 0.5);
        rules.put("segmentation", segFg);
        rules.put("detection", cut(det, w, h, 0.5));
        rules.put("mean", cut(average(seg, det), w, h, 0.5));
        rules.put("segmentation-supported", supported(segFg, det));
        rules.put("segmentation-flip", segFgT);
        rules.put("mean-flip", cut(average(segT, detT), w, h, 0.5));
        rules.put("segmentation-supported-flip", supported(segFgT, detT));
        for (Map.Entry<String, LabelImage> r : rules.entrySet()) {
          float[][] cutBy = r.getKey().endsWith("flip") ? sepT : sep;
          LabelImage instances = cutBy == null ? Components.label(r.getValue(), Connectivity.FOUR)
              : SeparationCut.instances(r.getValue(), cutBy, 0.1, 32);
          scores.computeIfAbsent(r.getKey(), k -> new ArrayList<>())
              .add(ImageScores.of(s.id(), truth, instances, 1));
        }
        System.err.print(".");
      }
    }
    System.err.println();
    for (Map.Entry<String, List<ImageScores>> e : scores.entrySet()) {
      ImageScores m = Evaluation.of(e.getValue()).mean();
      System.out.printf(Locale.ROOT, "{\"run\":\"%s\",\"split\":\"%s\",\"rule\":\"%s\","
          + "\"dice\":%.4f,\"object_dice\":%.4f,\"object_hausdorff\":%.1f,\"count_error\":%.2f}%n",
          run, split, e.getKey(), m.dice(), m.objectDice(), m.objectHausdorff(), m.countError());
    }
  }

  static LabelImage cut(float[] p, int w, int h, double t) {
    int[] d = new int[p.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = p[i] > t ? 1 : 0;
    }
    return new LabelImage(w, h, d);
  }

  /** The components of {@code fg} that hold a pixel the detection head calls object. */
  static LabelImage supported(LabelImage fg, float[] det) {
    LabelImage comp = Components.label(fg, Connectivity.FOUR);
    int[] c = comp.data();
    boolean[] keep = new boolean[Components.countIds(comp) + 1];
    for (int i = 0; i < c.length; i++) {
      if (c[i] > 0 && det[i] > 0.5) {
        keep[c[i]] = true;
      }
    }
    int[] d = new int[c.length];
    for (int i = 0; i < c.length; i++) {
      d[i] = keep[c[i]] ? 1 : 0;
    }
    return new LabelImage(fg.width(), fg.height(), d);
  }

  static float[] average(float[] a, float[] b) {
    float[] o = new float[a.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = (a[i] + b[i]) / 2;
    }
    return o;
  }

  static FloatImage flip(FloatImage image) {
    int w = image.width(), h = image.height(), c = image.channels();
    float[] o = new float[image.data().length];
    float[] d = image.data();
    for (int k = 0; k < c * h; k++) {
      for (int x = 0; x < w; x++) {
        o[k * w + x] = d[k * w + w - 1 - x];
      }
    }
    return new FloatImage(w, h, c, o);
  }

  static float[] flip(float[] plane, int w, int h) {
    float[] o = new float[plane.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        o[y * w + x] = plane[y * w + w - 1 - x];
      }
    }
    return o;
  }
}
