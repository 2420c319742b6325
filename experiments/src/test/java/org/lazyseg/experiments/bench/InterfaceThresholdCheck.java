package org.lazyseg.experiments.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.ImageScores;
import org.lazyseg.core.measure.SeparationMeasures;
import org.lazyseg.core.ops.Components;
import org.lazyseg.core.ops.Probabilities;
import org.lazyseg.core.weak.SeparationCut;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.method.TrainingJob;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;

/**
 * By hand: scores a multi-task run's instances for several interface thresholds from one
 * forward pass per image (count error, object Dice, separation precision and recall), on a
 * split or on the run's own validation images ({@code -Dsplit=validation}), so that a
 * threshold can be chosen without looking at the test images:
 * {@code mvn -pl experiments -am test -Dtest=InterfaceThresholdCheck -Dlazyseg.manual=true
 * -Dsurefire.failIfNoSpecifiedTests=false -Drun=RUN -Ddata=DATA -Dsplit=validation
 * -Dthresholds=0.5,0.3,0.2,0.1,0.05}. Prints one JSON line per threshold.
 */
@EnabledIfSystemProperty(named = "lazyseg.manual", matches = "true")
class InterfaceThresholdCheck {

  @Test
  void scoresPerInterfaceThreshold() throws IOException {
    Path run = Path.of(System.getProperty("run"));
    Dataset data = Dataset.open(Path.of(System.getProperty("data")));
    String split = System.getProperty("split", "test");
    String[] given = System.getProperty("thresholds", "0.5,0.3,0.2,0.1,0.05").split(",");
    double[] thresholds = new double[given.length];
    for (int k = 0; k < given.length; k++) {
      thresholds[k] = Double.parseDouble(given[k]);
    }
    List<Sample> samples;
    if (split.equals("validation")) {
      Set<String> ids = new HashSet<>(RunFolder.read(run.resolve(TrainingJob.RECORD_FILE),
          TrainingJob.Record.class).validationIds());
      samples = data.samples(Dataset.TRAIN).stream().filter(s -> ids.contains(s.id())).toList();
    } else {
      samples = data.samples(split);
    }
    // -DminPieces=0,16,...: also score the regrown cut (Segmentation.instances with minPiece)
    String pieceList = System.getProperty("minPieces", "");
    int[] minPieces = pieceList.isBlank() ? new int[0]
        : java.util.Arrays.stream(pieceList.split(",")).mapToInt(Integer::parseInt).toArray();
    int n = thresholds.length * (1 + minPieces.length);
    List<List<ImageScores>> scores = new ArrayList<>();
    SeparationMeasures[] separation = new SeparationMeasures[n];
    double[] countError = new double[n];
    for (int k = 0; k < n; k++) {
      scores.add(new ArrayList<>());
      separation[k] = new SeparationMeasures(0, 0, 0, 0);
    }
    try (Predictor p = Predictor.open(run, System.getProperty("checkpoint", RunFolder.BEST))) {
      for (Sample s : samples) {
        FloatImage image = s.loadImage();
        float[][][] prob = p.probabilities(image, 0, 2);
        LabelImage classes = Probabilities.argmax(prob[0], image.width(), image.height());
        LabelImage truth = s.loadInstances();
        for (int k = 0; k < n; k++) {
          double t = thresholds[k % thresholds.length];
          int mode = k / thresholds.length;
          LabelImage objects = mode == 0 ? SeparationCut.instances(classes, prob[1], t)
              : SeparationCut.instances(classes, prob[1], t, minPieces[mode - 1]);
          scores.get(k).add(ImageScores.of(s.id(), truth, objects, 1));
          separation[k] = separation[k].plus(SeparationMeasures.of(truth, objects));
          countError[k] += Math.abs(Components.countIds(objects) - Components.countIds(truth));
        }
      }
    }
    for (int k = 0; k < n; k++) {
      ImageScores m = Evaluation.of(scores.get(k)).mean();
      System.out.printf(Locale.ROOT, "{\"check\":\"interface-threshold\",\"run\":\"%s\","
          + "\"split\":\"%s\",\"images\":%d,\"threshold\":%s,\"regrown_min_piece\":%s,"
          + "\"count_error\":%.3f,"
          + "\"object_dice\":%.4f,\"dice\":%.4f,\"separation_precision\":%.3f,"
          + "\"separation_recall\":%.3f}%n", run.getFileName(), split, samples.size(),
          given[k % thresholds.length],
          k < thresholds.length ? "null" : Integer.toString(minPieces[k / thresholds.length - 1]),
          countError[k] / samples.size(), m.objectDice(), m.dice(),
          separation[k].precision(), separation[k].recall());
    }
  }
}
