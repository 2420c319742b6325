package org.lazyseg.experiments.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lazyseg.api.SegmentationModel;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.ImageScores;
import org.lazyseg.core.weak.RecursiveGrowth;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.method.LazyMultiTask;
import org.lazyseg.train.method.Method;
import org.lazyseg.train.method.Methods;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * A one-class run's read-out with its foreground threshold moved (pixels whose foreground
 * probability exceeds T instead of 0.5) on validation images (a split carved from the
 * training images, never the test split): the plain read-out (argmax components, cut along a
 * separation head), or, for a run whose recorded read-out is a settled "split", split with
 * the same seeds (foreground probability above the settled seed threshold). Each with the
 * run's least object area. One JSON line per threshold.
 * usage: bench/tool ForegroundThreshold RUN LAZY_DATA SPLIT [best|last]
 */
public final class ForegroundThreshold {
  private static final double[] THRESHOLDS = {0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7};

  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    Dataset lazy = Dataset.open(Path.of(args[1]));
    String split = args[2];
    String checkpoint = args.length > 3 ? args[3] : RunFolder.BEST;
    Method method = Methods.ofRun(run);
    Map<String, String> o = method.options();
    boolean grows = "split".equals(o.get("prediction")) && o.containsKey("seed-threshold");
    double seedThreshold = grows ? Double.parseDouble(o.get("seed-threshold")) : Double.NaN;
    int minSeed = grows ? Integer.parseInt(o.getOrDefault("min-seed", "0")) : 0;
    int minArea;
    try (SegmentationModel model = SegmentationModel.open(run,
        SegmentationModel.Options.DEFAULT.withThreads(1))) {
      minArea = model.minArea();
    }
    List<LabelImage> truths = new ArrayList<>();
    List<float[][][]> probabilities = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try (Predictor predictor = Predictor.open(run, checkpoint)) {
      int separation = predictor.spec().headOf(LazyMultiTask.SEPARATION);
      for (Sample s : lazy.samples(split)) {
        FloatImage image = ImageFiles.readImage(s.image());
        truths.add(ImageFiles.readLabels(s.mask().orElseThrow()));
        probabilities.add(separation >= 0 ? predictor.probabilities(image, 0, separation)
            : predictor.probabilities(image, new int[] {0}));
        ids.add(s.id());
      }
    }
    for (double t : THRESHOLDS) {
      List<ImageScores> scores = new ArrayList<>();
      for (int i = 0; i < truths.size(); i++) {
        int w = truths.get(i).width(), h = truths.get(i).height();
        float[][][] p = probabilities.get(i);
        // Shifting the foreground probability by 0.5 - T moves the argmax's threshold to T
        // and keeps the seeds (the seed threshold shifts by as much).
        float shift = (float) (0.5 - t);
        float[] fg = p[0][1].clone(), bg = new float[fg.length];
        for (int j = 0; j < fg.length; j++) {
          fg[j] += shift;
          bg[j] = 1 - fg[j];
        }
        float[][] seg = {bg, fg};
        float[][] sep = p.length > 1 ? p[1] : null;
        Segmentation result;
        if (grows) {
          var g = RecursiveGrowth.grow(seg, seg, sep, w, h, Double.POSITIVE_INFINITY, false,
              seedThreshold + shift, minSeed);
          result = new Segmentation(g.classes(), g.instances(), null);
        } else {
          LabelImage classes = new LabelImage(w, h);
          for (int j = 0; j < fg.length; j++) {
            classes.data()[j] = fg[j] > 0.5f ? 1 : 0;
          }
          result = new Segmentation(classes, method.instances(classes, sep), null);
        }
        scores.add(ImageScores.of(ids.get(i), truths.get(i),
            result.withoutObjectsUnder(minArea).instances(), 1));
      }
      ImageScores m = Evaluation.of(scores).mean();
      System.out.printf(Locale.ROOT, "{\"date\":\"%s\",\"run\":\"%s\",\"split\":\"%s\","
          + "\"checkpoint\":\"%s\",\"readout\":\"%s\",\"foreground_threshold\":%.2f,"
          + "\"dice\":%.4f,\"object_dice\":%.4f,\"object_hausdorff\":%.1f,"
          + "\"count_error\":%.2f}%n", java.time.LocalDate.now(), run, split, checkpoint,
          grows ? "split" : "segmentation", t, m.dice(), m.objectDice(), m.objectHausdorff(),
          m.countError());
    }
  }
}
