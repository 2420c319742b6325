package org.lazyseg.experiments.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.lazyseg.core.weak.RecursiveGrowth;
import org.lazyseg.core.weak.SeedThreshold;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * Seeded growth read-outs of a multi-task run on a grid: seeds from the detection head (1) or
 * from the segmentation head's surest pixels (0), at every seed threshold and least seed area
 * of {@link SeedThreshold}, grown inside the segmentation foreground; each scored against
 * the annotated cores of the first weak training images (what an "auto" choice sees) and
 * on the validation split (truth), with the run's least object area.
 * usage: bench/tool SeedGrid RUN LAZY_DATA SPLIT
 */
public final class SeedGrid {
  record P(String id, float[][][] p, int w, int h, LabelImage ref) {}

  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    Dataset lazy = Dataset.open(Path.of(args[1]));
    String split = args[2];
    Map<?, ?> record = new ObjectMapper().readValue(
        run.resolve("training-data.json").toFile(), Map.class);
    int minArea = ((Number) record.get("minArea")).intValue();
    List<Sample> weak = ReadoutChoice.weakImages(run, lazy);
    List<P> train = new ArrayList<>(), val = new ArrayList<>();
    List<LabelImage> cores = new ArrayList<>();
    try (Predictor predictor = Predictor.open(run, RunFolder.BEST)) {
      predictor.setTileSize(1024);
      int[] heads = predictor.spec().heads().length > 2 ? new int[] {0, 1, 2} : new int[] {0, 1};
      for (Sample s : weak) {
        FloatImage im = s.loadImage();
        LabelImage c = SeedThreshold.cores(s.loadPartial(), 1);
        cores.add(c);
        train.add(new P(s.id(), predictor.probabilities(im, heads), im.width(), im.height(), c));
      }
      for (Sample s : lazy.samples(split)) {
        FloatImage im = ImageFiles.readImage(s.image());
        val.add(new P(s.id(), predictor.probabilities(im, heads), im.width(), im.height(),
            ImageFiles.readLabels(s.mask().orElseThrow())));
      }
    }
    for (int source : new int[] {1, 0}) {
      for (boolean keep : new boolean[] {false, true}) {
        for (SeedThreshold.Candidate c : SeedThreshold.candidates(cores)) {
          if (source == 0 && c.threshold() == 0.5) {
            continue;   // the segmentation's own argmax: the plain read-out
          }
          SeedThreshold.Agreement ag = SeedThreshold.Agreement.NONE;
          for (P t : train) {
            ag = ag.plus(SeedThreshold.agreement(decode(t, source, keep, c, minArea), t.ref));
          }
          List<ImageScores> sc = new ArrayList<>();
          double predicted = 0;
          for (P v : val) {
            LabelImage inst = decode(v, source, keep, c, minArea);
            predicted += Components.countIds(inst);
            sc.add(ImageScores.of(v.id, v.ref, inst, 1));
          }
          ImageScores m = Evaluation.of(sc).mean();
          System.out.printf(Locale.ROOT, "{\"run\":\"%s\",\"seeds\":\"%s\",\"keep\":%s,"
              + "\"threshold\":%s,\"min_seed\":%d,\"train_core_dice\":%.4f,\"dice\":%.4f,"
              + "\"object_dice\":%.4f,\"object_hausdorff\":%.1f,\"count_error\":%.2f,"
              + "\"predicted_objects\":%.2f}%n", run, source == 1 ? "detection" : "segmentation",
              keep, c.threshold(), c.minSeed(), ag.coreDice(), m.dice(), m.objectDice(),
              m.objectHausdorff(), m.countError(), predicted / val.size());
        }
      }
    }
  }

  private static LabelImage decode(P p, int source, boolean keep, SeedThreshold.Candidate c,
      int minArea) {
    var g = RecursiveGrowth.grow(p.p[0], p.p[source], p.p.length > 2 ? p.p[2] : null, p.w, p.h,
        Double.POSITIVE_INFINITY, keep, c.threshold(), c.minSeed());
    return new Segmentation(g.classes(), g.instances(), null).withoutObjectsUnder(minArea)
        .instances();
  }
}
