package org.lazyseg.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainConfigTest {

  @Test
  void profilesArePresetsWhoseFieldsCanBeOverridden() {
    TrainConfig paper = TrainConfig.profile("paper").build();
    assertThat(paper.crop()).isEqualTo(256);
    assertThat(paper.batch()).isEqualTo(16);
    assertThat(paper.learningRate()).isEqualTo(2e-4);
    TrainConfig quick = TrainConfig.profile("quick").setBatch(4).setRounds(3, 2).build();
    assertThat(quick.crop()).isEqualTo(128);
    assertThat(quick.batch()).isEqualTo(4);
    assertThat(quick.epochs()).isEqualTo(6);
    assertThat(quick.toBuilder().build()).isEqualTo(quick);
    assertThat(ModelSpec.builder().setChannels(3).addTask(Task.of("fg", 2))
        .optProfile("paper").build().width()).isEqualTo(32);
    assertThatThrownBy(() -> TrainConfig.profile("fast"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configAndSpecSurviveJson() throws Exception {
    TrainConfig config = TrainConfig.profile("standard").optSeed(3).build();
    String json = RunFolder.JSON.writeValueAsString(config);
    assertThat(RunFolder.JSON.readValue(json, TrainConfig.class)).isEqualTo(config);
    ModelSpec spec = ModelSpec.builder().setChannels(1).addTask(new Task("sep", 2, 0.5))
        .optNormalization(new org.lazyseg.train.data.Normalization(
            new float[] {0.1f}, new float[] {2f})).build();
    ModelSpec back = RunFolder.JSON.readValue(RunFolder.JSON.writeValueAsString(spec),
        ModelSpec.class);
    assertThat(back.tasks()).isEqualTo(spec.tasks());
    assertThat(back.normalization().std()).containsExactly(2f);
  }
}
