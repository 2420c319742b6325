package org.lazyseg.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
  void aHeadIsFoundByItsTasksName() {
    ModelSpec spec = ModelSpec.builder().setChannels(1).addTask(Task.of("segmentation", 2))
        .addTask(Task.of("separation", 2)).build();
    assertThat(spec.headOf("separation")).isEqualTo(1);
    assertThat(spec.headOf("segmentation")).isZero();
    assertThat(spec.headOf("approximation")).isEqualTo(-1);
  }

  @Test
  void annealingLowersTheRateAlongAHalfCosineInTheLastEpochsOnly() {
    TrainConfig constant = TrainConfig.profile("standard").build();
    TrainConfig annealed = TrainConfig.profile("standard").optAnneal(0.25).build();
    assertThat(annealed.toBuilder().build()).isEqualTo(annealed);
    for (int e = 1; e <= 20; e++) {
      assertThat(constant.learningRateFactor(e)).isEqualTo(1.0);
    }
    for (int e = 1; e <= 15; e++) {   // 0.25 x 20 epochs: the last 5 anneal
      assertThat(annealed.learningRateFactor(e)).isEqualTo(1.0);
    }
    assertThat(annealed.learningRateFactor(16))
        .isCloseTo(0.5 * (1 + Math.cos(Math.PI * 0.1)), within(1e-12));
    assertThat(annealed.learningRateFactor(18)).isCloseTo(0.5, within(1e-12));
    assertThat(annealed.learningRateFactor(20))
        .isCloseTo(0.5 * (1 + Math.cos(Math.PI * 0.9)), within(1e-12)).isPositive();
    for (int e = 16; e <= 20; e++) {
      assertThat(annealed.learningRateFactor(e)).isLessThan(annealed.learningRateFactor(e - 1));
    }
    // Whole-run annealing over 3 rounds of 2 epochs: every epoch lower than the one before.
    TrainConfig rounds = TrainConfig.builder().setRounds(3, 2).optAnneal(1).build();
    assertThat(rounds.learningRateFactor(1)).isLessThan(1.0);
    assertThat(rounds.learningRateFactor(6)).isLessThan(rounds.learningRateFactor(5));
    assertThatThrownBy(() -> TrainConfig.builder().optAnneal(1.5).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recursivePseudoLabelsMultiTaskAndLazyAnnealByDefaultButAGivenShareStands() {
    TrainConfig unset = TrainConfig.profile("standard").build();
    assertThat(unset.anneal()).isNaN();
    assertThat(unset.learningRateFactor(20)).isEqualTo(1.0);
    TrainConfig off = TrainConfig.profile("standard").optAnneal(0).build();
    for (String method : java.util.List.of("recursive", "pseudo-labels", "multitask", "lazy")) {
      var m = org.lazyseg.train.method.Methods.byName(method);
      assertThat(m.adjust(unset).anneal()).as(method).isEqualTo(0.25);
      assertThat(m.adjust(off).anneal()).as(method).isEqualTo(0.0);
    }
    for (String method : java.util.List.of("supervised", "weak-only")) {
      assertThat(org.lazyseg.train.method.Methods.byName(method).adjust(unset)
          .learningRateFactor(20)).as(method).isEqualTo(1.0);
    }
  }

  @Test
  void pseudoLabelsAugmentsFullyByDefaultButAGivenAugmentationStands() {
    var full = org.lazyseg.train.data.Augmentation.full();
    var basic = org.lazyseg.train.data.Augmentation.flipsAndRotations();
    TrainConfig unset = TrainConfig.profile("standard").build();
    assertThat(unset.augmentation()).isNull();
    assertThat(unset.effectiveAugmentation()).isEqualTo(basic);
    var pl = org.lazyseg.train.method.Methods.byName("pseudo-labels");
    assertThat(pl.adjust(unset).effectiveAugmentation()).isEqualTo(full);
    assertThat(pl.adjust(TrainConfig.profile("standard").setAugmentation(basic).build())
        .effectiveAugmentation()).isEqualTo(basic);
    for (String method : java.util.List.of("supervised", "multitask", "recursive", "lazy")) {
      assertThat(org.lazyseg.train.method.Methods.byName(method).adjust(unset)
          .effectiveAugmentation()).as(method).isEqualTo(basic);
    }
    assertThat(TrainConfig.profile("paper").build().effectiveAugmentation()).isEqualTo(full);
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

  @Test
  void aWorkingScaleIsAutoOrAFactorInZeroToOne() {
    assertThat(TrainConfig.parseScale(" AUTO ")).isNaN();
    assertThat(TrainConfig.parseScale("1")).isEqualTo(1.0);
    assertThat(TrainConfig.parseScale("0.33")).isEqualTo(0.33);
    for (String bad : new String[] {"0", "1.01", "-0.5", "half", "", "NaN"}) {
      assertThatThrownBy(() -> TrainConfig.parseScale(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
    }
  }
}
