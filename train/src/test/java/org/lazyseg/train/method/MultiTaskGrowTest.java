package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.data.Dataset;
import org.lazyseg.core.data.ProgressCallback;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.core.weak.RecursiveGrowth;
import org.lazyseg.core.weak.SeedThreshold;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.predict.Segmentation;
import org.lazyseg.train.testing.DiscDatasets;

/**
 * Multi-task's grow read-out end to end: the seed threshold is settled on the weak training
 * images after training and recorded, and the grown objects lie inside the segmentation
 * head's foreground, each holding a seed of the detection head.
 */
class MultiTaskGrowTest {
  @TempDir Path dir;

  @Test
  void growSettlesItsSeedsAndStaysInsideTheSegmentation() throws IOException {
    Path data = DiscDatasets.write(dir.resolve("data"), 12, 64, 5);
    Path run = dir.resolve("run");
    TrainingJob job = new TrainingJob(Dataset.open(data),
        Methods.create("multitask", Map.of("prediction", "grow", "separation", "false")),
        new TrainingData.Selection("train", 0.25, 0, 0), TrainConfig.builder().setCrop(48)
            .setBatch(4).setLearningRate(1e-2).setEpochs(3).setStepsPerEpoch(20).optThreads(1)
            .optSeed(3).build()).optWidth(8).optDepth(3);
    job.run(run, job.load(ProgressCallback.NONE));

    Map<String, String> recorded = Methods.ofRun(run).options();
    assertThat(recorded).containsEntry("prediction", "grow");
    double threshold = Double.parseDouble(recorded.get("seed-threshold"));
    assertThat(SeedThreshold.CANDIDATES).contains(threshold);
    Map<?, ?> choice = RunFolder.read(run.resolve(SeededGrowth.SEED_THRESHOLD_FILE), Map.class);
    assertThat(((Number) ((Map<?, ?>) choice.get("chosen")).get("threshold")).doubleValue())
        .isEqualTo(threshold);
    assertThat(((Number) choice.get("images")).intValue()).isEqualTo(9);   // 12 - 3 strong

    Map<String, String> plain = new HashMap<>(recorded);
    plain.put("prediction", "segmentation");
    Method grow = Methods.create("multitask", recorded);
    Method segmentation = Methods.create("multitask", plain);
    int objects = 0;
    try (Predictor p = Predictor.open(run, RunFolder.BEST)) {
      for (var s : Dataset.open(data).samples()) {
        FloatImage image = s.loadImage();
        Segmentation g = grow.segment(p, image);
        int[] fg = segmentation.segment(p, image).classes().data();
        int[] ids = g.instances().data(), cls = g.classes().data();
        LabelImage seeds = RecursiveGrowth.seeds(
            p.probabilities(image, 1), image.width(), image.height(), threshold);
        int[] seed = seeds.data();
        int max = Math.max(0, g.instances().max());
        boolean[] seeded = new boolean[max + 1];
        for (int i = 0; i < ids.length; i++) {
          assertThat(cls[i] > 0).as("pixel %d", i).isEqualTo(ids[i] > 0);
          if (ids[i] > 0) {
            assertThat(fg[i]).as("grown pixel %d outside the segmentation", i).isPositive();
            seeded[ids[i]] |= seed[i] > 0;
          }
        }
        for (int k = 1; k <= max; k++) {
          if (contains(ids, k)) {
            assertThat(seeded[k]).as("object %d of %s holds a seed", k, s.id()).isTrue();
            objects++;
          }
        }
      }
    }
    assertThat(objects).isPositive();
  }

  private static boolean contains(int[] ids, int k) {
    for (int v : ids) {
      if (v == k) {
        return true;
      }
    }
    return false;
  }
}
