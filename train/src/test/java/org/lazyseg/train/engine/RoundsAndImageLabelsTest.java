package org.lazyseg.train.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.loss.Objective;

/** Engine behaviour that methods learning from per-image labels over rounds rely on. */
class RoundsAndImageLabelsTest {
  @TempDir Path dir;

  private static ModelSpec spec(int channels) {
    return ModelSpec.builder().setChannels(channels).addTask(Task.of("map", 2)).optWidth(4)
        .optDepth(2).build();
  }

  private static Example tagged(String id, int channels, float tag) {
    return new Example(id, new FloatImage(8, 8, channels), new LabelImage[1],
        new float[] {tag});
  }

  @Test
  void imageLabelsSurviveTheAdaptationOfGreyImagesToColour() throws IOException {
    List<Float> seen = new ArrayList<>();
    Objective recording = (outputs, batch, round) -> {
      for (float v : batch.imageLabels()) {
        seen.add(v);
      }
      return outputs.head().mean().mul(1e-3f);
    };
    TrainConfig config = TrainConfig.builder().setCrop(8).setBatch(4).setEpochs(1)
        .setStepsPerEpoch(2).optThreads(1).build();
    new TrainingRun(dir, spec(3), config).optObjective(recording)
        .run(List.of(tagged("grey", 1, 1), tagged("rgb", 3, 0)), List.of());
    assertThat(seen).hasSize(8).allMatch(v -> v == 0f || v == 1f);
  }

  @Test
  void withoutValidationEachRoundStartsANewBest() throws IOException {
    // Round 0's loss is far lower than round 1's; the two are not comparable. (A tiny
    // gradient term: DJL refuses an all-zero gradient on the first step.)
    Objective twoStages = (outputs, batch, round) ->
        outputs.head().mean().mul(1e-3f).add(round == 0 ? 0.01f : 5f);
    TrainConfig config = TrainConfig.builder().setCrop(8).setBatch(2).setRounds(2, 1)
        .setStepsPerEpoch(1).optThreads(1).build();
    TrainingResult r = new TrainingRun(dir, spec(1), config).optObjective(twoStages)
        .run(List.of(tagged("a", 1, 1)), List.of());
    assertThat(r.bestEpoch()).isEqualTo(2);
  }
}
