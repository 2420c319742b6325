package org.lazyseg.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lazyseg.core.data.LabeledImage;
import org.lazyseg.core.data.TrainingSet;
import org.lazyseg.core.synth.FoamGenerator;
import org.lazyseg.core.synth.FoamImage;
import org.lazyseg.train.TrainConfig;

/** Models trained in a few steps for tests that need a run folder, not a good model. */
public final class TinyModels {
  private TinyModels() {}

  /**
   * A supervised U-Net (width 4, depth 3) trained for 3 steps on four 64 x 64 foam images
   * with instance masks of class "cell", written to {@code run}.
   */
  public static Path supervisedFoam(Path run) throws IOException {
    return supervisedFoam(run, "dataset");
  }

  /** The same with the input normalisation {@code normalize} (dataset or percentile). */
  public static Path supervisedFoam(Path run, String normalize) throws IOException {
    FoamGenerator foam = new FoamGenerator(64, 64, FoamGenerator.Settings.defaults());
    List<LabeledImage> images = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      FoamImage f = foam.generate(i);
      images.add(LabeledImage.of("f" + i, f.image()).withInstanceMask(f.instances()));
    }
    TrainConfig tiny = TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(1e-3)
        .setEpochs(1).setStepsPerEpoch(3).optValidationTile(32).build();
    Training.of("supervised").optConfig(tiny).optWidth(4).optDepth(3).optThreads(1)
        .optNormalization(normalize).train(TrainingSet.of(List.of("cell"), images), run).close();
    return run;
  }
}
