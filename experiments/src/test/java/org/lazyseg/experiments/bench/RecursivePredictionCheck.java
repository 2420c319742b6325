package org.lazyseg.experiments.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.Sample;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.measure.Evaluation;
import org.lazyseg.core.measure.ImageScores;
import org.lazyseg.core.ops.Probabilities;
import org.lazyseg.core.weak.LevelSetGrowth;
import org.lazyseg.core.weak.RecursiveGrowth;
import org.lazyseg.core.weak.SeparationCut;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.predict.Predictor;

/**
 * By hand: scores a trained recursive run's final prediction for several prediction lambdas
 * from one forward pass per image, plus the segmentation head alone:
 * {@code mvn -pl experiments -am test -Dtest=RecursivePredictionCheck -Dlazyseg.manual=true
 * -Dsurefire.failIfNoSpecifiedTests=false -Drun=RUN -Ddata=DATA -Dsplit=testA
 * -Dlambdas=0,1,3,10,inf}.
 */
@EnabledIfSystemProperty(named = "lazyseg.manual", matches = "true")
class RecursivePredictionCheck {

  @Test
  void scoresPerPredictionLambda() throws IOException {
    Path run = Path.of(System.getProperty("run"));
    Dataset data = Dataset.open(Path.of(System.getProperty("data")));
    String split = System.getProperty("split", "test");
    String[] lambdas = System.getProperty("lambdas", "0,1,3,10,inf").split(",");
    List<List<ImageScores>> scores = new ArrayList<>();
    for (int k = 0; k <= lambdas.length; k++) {
      scores.add(new ArrayList<>());
    }
    long growNanos = 0;
    try (Predictor p = Predictor.open(run, System.getProperty("checkpoint", RunFolder.LAST))) {
      p.setTileSize(1024);
      for (Sample s : data.samples(split)) {
        FloatImage image = s.loadImage();
        float[][][] prob = p.probabilities(image, 0, 1);
        int w = image.width(), h = image.height();
        for (int k = 0; k < lambdas.length; k++) {
          double l = lambdas[k].equals("inf") ? Double.POSITIVE_INFINITY
              : Double.parseDouble(lambdas[k]);
          long t0 = System.nanoTime();
          LevelSetGrowth.Grown seg = RecursiveGrowth.grow(prob[0], prob[1], null, w, h, l);
          growNanos += System.nanoTime() - t0;
          scores.get(k).add(ImageScores.of(s.id(), s.loadInstances(), seg.instances(), 1));
        }
        scores.get(lambdas.length).add(ImageScores.of(s.id(), s.loadInstances(),
            SeparationCut.instances(Probabilities.argmax(prob[0], w, h), null), 1));
      }
    }
    for (int k = 0; k <= lambdas.length; k++) {
      ImageScores m = Evaluation.of(scores.get(k)).mean();
      System.out.printf(Locale.ROOT, "LAMBDA %-8s Dice %.3f  object Dice %.3f  object Hausdorff %.1f%n",
          k < lambdas.length ? lambdas[k] : "head0", m.dice(), m.objectDice(),
          m.objectHausdorff());
    }
    System.out.printf(Locale.ROOT, "LAMBDA growth %.1f ms per image and lambda%n",
        growNanos / 1e6 / (scores.get(0).size() * lambdas.length));
  }
}
