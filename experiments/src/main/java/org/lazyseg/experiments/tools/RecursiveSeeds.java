package org.lazyseg.experiments.tools;

import java.nio.file.Path;
import java.util.*;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.ImageScores;
import org.lazyseg.core.weak.RecursiveGrowth;
import org.lazyseg.core.weak.SeedThreshold;
import org.lazyseg.train.predict.Predictor;

/**
 * The seed settings of a recursive run's final prediction side by side: for every threshold
 * and least seed area (a share of the median annotated core), the agreement with the cores
 * of the first 24 weakly labelled training images that `-O seed-threshold=auto` maximises
 * (core object Dice; pairs, objects) and the test scores the same setting gets. Heads are
 * predicted once per image (no separation head, as on GlaS). Shows whether the choice made on
 * training cores tracks the test.
 * usage: bench/tool RecursiveSeeds RUN LAZY_DATA ORIGINAL_DATA SPLIT T,T,.. SHARE,SHARE,..
 */
public final class RecursiveSeeds {
  record P(String id, float[][] seg, float[][] app, int w, int h, LabelImage ref, boolean train) {}
  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    Dataset lazy = Dataset.open(Path.of(args[1])), orig = Dataset.open(Path.of(args[2]));
    String split = args[3];
    double[] ts = Arrays.stream(args[4].split(",")).mapToDouble(Double::parseDouble).toArray();
    double[] fs = Arrays.stream(args[5].split(",")).mapToDouble(Double::parseDouble).toArray();
    Set<String> strong = new HashSet<>();
    for (Object o : (List<?>) new com.fasterxml.jackson.databind.ObjectMapper().readValue(run.resolve("training-data.json").toFile(), Map.class).get("strongIds")) strong.add((String) o);
    List<P> ps = new ArrayList<>();
    List<LabelImage> trainCores = new ArrayList<>();
    try (Predictor predictor = Predictor.open(run, "best")) {
      predictor.setTileSize(1024);
      List<Sample> weak = lazy.samples("train").stream().filter(s -> !strong.contains(s.id()) && s.partial().isPresent())
          .sorted(Comparator.comparing(Sample::id)).limit(SeedThreshold.MAX_IMAGES).toList();
      for (Sample s : weak) {
        FloatImage im = s.loadImage();
        float[][][] p = predictor.probabilities(im, 0, 1);
        LabelImage cores = SeedThreshold.cores(s.loadPartial(), 1);
        trainCores.add(cores);
        ps.add(new P(s.id(), p[0], p[1], im.width(), im.height(), cores, true));
        System.err.print("t");
      }
      for (Sample s : orig.samples(split)) {
        FloatImage im = ImageFiles.readImage(s.image());
        float[][][] p = predictor.probabilities(im, 0, 1);
        ps.add(new P(s.id(), p[0], p[1], im.width(), im.height(), ImageFiles.readLabels(s.mask().orElseThrow()), false));
        System.err.print(".");
      }
    }
    int median = SeedThreshold.medianCoreArea(trainCores);
    System.err.println("\nmedian core area " + median);
    for (double f : fs) for (double t : ts) {
      SeedThreshold.Agreement ag = SeedThreshold.Agreement.NONE;
      List<ImageScores> sc = new ArrayList<>();
      for (P p : ps) {
        LabelImage g = RecursiveGrowth.grow(p.seg, p.app, null, p.w, p.h,
            Double.POSITIVE_INFINITY, false, t, (int) Math.round(f * median)).instances();
        if (p.train) ag = ag.plus(SeedThreshold.agreement(g, p.ref));
        else sc.add(ImageScores.of(p.id, p.ref, g, 1));
      }
      ImageScores m = Evaluation.of(sc).mean();
      System.out.printf(Locale.ROOT, "{\"date\":\"%s\",\"run\":\"%s\",\"threshold\":%s,\"min_seed_fraction\":%s,\"train_pair_f1\":%.4f,\"train_core_dice\":%.4f,\"pairs\":%d,\"objects\":%d,\"test_dice\":%.4f,\"test_object_dice\":%.4f,\"test_hausdorff\":%.1f,\"test_count_error\":%.2f}%n",
          java.time.LocalDate.now(), run, t, f, ag.f1(), ag.coreDice(), ag.pairs(), ag.objects(), m.dice(), m.objectDice(), m.objectHausdorff(), m.countError());
    }
  }
}
