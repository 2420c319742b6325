package org.lazyseg.train.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Normalization;
import org.lazyseg.train.engine.TrainingListener;
import org.lazyseg.train.engine.TrainingRun;
import org.lazyseg.train.predict.Predictor;
import org.lazyseg.train.testing.Discs;

/**
 * Slow checks, run by hand:
 * {@code mvn -pl train -am test -Dtest=ManualChecksTest -Dlazyseg.manual=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. Surefire's heap is fixed at 4g, so for the
 * big-image check under 2g run {@link #main} with {@code java -Xmx2g} on the test classpath.
 */
@EnabledIfSystemProperty(named = "lazyseg.manual", matches = "true")
class ManualChecksTest {
  @TempDir Path dir;

  /** The torch_reference.py setting: batch 4, 256 x 256, width 32, 1 channel, 2 classes. */
  @Test
  void stepTimeOfTheReferenceNetwork() throws IOException {
    List<Long> stamps = new ArrayList<>();
    TrainConfig config = TrainConfig.builder().setCrop(256).setBatch(4).setLearningRate(2e-4)
        .setEpochs(1).setStepsPerEpoch(15)
        .optThreads(Integer.getInteger("lazyseg.benchThreads", 2)).build();
    ModelSpec spec = ModelSpec.builder().setChannels(1).addTask(Task.of("fg", 2))
        .optWidth(32).build();
    new TrainingRun(dir, spec, config).addListener(new TrainingListener() {
      @Override
      public void onStep(long step, float loss) {
        stamps.add(System.nanoTime());
      }
    }).run(Discs.examples(4, 256, 1), List.of());
    List<Double> ms = new ArrayList<>();
    for (int i = 3; i < stamps.size(); i++) { // skip warm-up
      ms.add((stamps.get(i) - stamps.get(i - 1)) / 1e6);
    }
    Collections.sort(ms);
    System.out.printf("STEP batch 4, 256 x 256, width 32: median %.1f ms (%s)%n",
        ms.get(ms.size() / 2), ms);
  }

  /** The quick profile on synthetic discs; leaves its run folder in target/manual-quick. */
  @Test
  void quickProfileOnDiscs() throws IOException {
    Path run = Path.of("target/manual-quick");
    ModelSpec spec = ModelSpec.builder().setChannels(1).addTask(Task.of("fg", 2))
        .optProfile("quick").build();
    long t = System.nanoTime();
    var result = new TrainingRun(run, spec, TrainConfig.profile("quick").optThreads(2).build())
        .addListener(new TrainingListener() {
          @Override
          public void onEpochEnd(org.lazyseg.train.engine.EpochStats s) {
            System.out.println("QUICK " + s);
          }
        })
        .run(Discs.examples(16, 256, 1), Discs.examples(4, 256, 2));
    System.out.printf("QUICK %s in %.0f s%n", result, (System.nanoTime() - t) / 1e9);
  }

  public static void main(String[] args) {
    new ManualChecksTest().bigImageInBoundedMemory();
  }

  /** A 4000 x 6000 RGB image through a small network; run with -Xmx2g. */
  @Test
  void bigImageInBoundedMemory() {
    ModelSpec spec = ModelSpec.builder().setChannels(3).addTask(Task.of("fg", 2))
        .optWidth(2).optDepth(2).optNormalization(Normalization.identity(3)).build();
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.nn.Block net = spec.newBlock();
      net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
      FloatImage image = new FloatImage(6000, 4000, 3);
      long t = System.nanoTime();
      try (Predictor p = Predictor.of(net, spec, m, 1024).setTileBatch(2)) {
        float[][] prob = p.probabilities(image, 0);
        assertThat(prob[0]).hasSize(6000 * 4000);
      }
      System.out.printf("BIG 6000 x 4000 x 3 in %.1f s, max heap %d MB%n",
          (System.nanoTime() - t) / 1e9, Runtime.getRuntime().maxMemory() >> 20);
    }
  }
}
