package org.lazyseg.train.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.train.RunFolder;

class MethodsTest {

  @Test
  void unknownNamesAndOptionsAreRejectedWithTheKnownOnes() {
    assertThatThrownBy(() -> Methods.byName("magic"))
        .hasMessageContaining("unknown method 'magic'").hasMessageContaining("multitask");
    assertThatThrownBy(() -> Methods.create("supervised", Map.of("lambda", "1")))
        .hasMessageContaining("has no option 'lambda'").hasMessageContaining("crop");
    assertThatThrownBy(() -> Methods.create("weak-only", Map.of("lambda", "1")))
        .hasMessageContaining("takes no options").hasMessageContaining("lambda");
  }

  @Test
  void supervisedTrainsOnItsOwnCropWhenAsked() {
    org.lazyseg.train.TrainConfig config = org.lazyseg.train.TrainConfig.profile("standard").build();
    assertThat(Methods.create("supervised", Map.of()).adjust(config).crop()).isEqualTo(192);
    Method patches = Methods.create("supervised", Map.of("crop", "64"));
    assertThat(patches.adjust(config).crop()).isEqualTo(64);
    assertThat(patches.options()).containsExactly(Map.entry("crop", "64"));
    assertThat(Methods.create("supervised", Map.of()).options()).isEmpty();
    assertThatThrownBy(() -> Methods.create("supervised", Map.of("crop", "-1")))
        .hasMessage("method 'supervised': crop must be a whole number >= 0, not '-1'");
    assertThatThrownBy(() -> Methods.create("supervised", Map.of("crop", "big")))
        .hasMessage("method 'supervised': crop must be a whole number >= 0, not 'big'");
  }

  @Test
  void aRunRemembersItsMethodAndOptions(@TempDir Path run) throws IOException {
    assertThat(Methods.ofRun(run).name()).isEqualTo("supervised");
    RunFolder.write(run.resolve(TrainingJob.RECORD_FILE), new TrainingJob.Record("d",
        "multitask", Map.of(), "quick", 0.1, 0, List.of("cell"), List.of(), List.of(), 0, null,
        null, null, null, null, null));
    assertThat(Methods.ofRun(run).name()).isEqualTo("multitask");
  }

  @Test
  void everyMethodIsFoundByItsOwnName() {
    for (Method m : Methods.all()) {
      assertThat(Methods.create(m.name(), m.options()).name()).isEqualTo(m.name());
    }
  }

  @Test
  void multiTaskSetsTheStrongShareOfItsBatches() {
    org.lazyseg.train.TrainConfig config = org.lazyseg.train.TrainConfig.profile("quick").build();
    assertThat(config.strongShare()).isZero();
    assertThat(Methods.create("multitask", Map.of()).adjust(config).strongShare())
        .isEqualTo(LazyMultiTask.STRONG_SHARE);
    Method half = Methods.create("multitask", Map.of("strong-share", "0.5"));
    assertThat(half.adjust(config).strongShare()).isEqualTo(0.5);
    assertThat(half.options()).containsEntry("strong-share", "0.5");
    assertThat(Methods.create("multitask", Map.of()).options()).doesNotContainKey("strong-share");
    assertThatThrownBy(() -> Methods.create("multitask", Map.of("strong-share", "2")))
        .hasMessageContaining("strong-share must be a number in [0, 1], not '2'");
    assertThat(Methods.create("supervised", Map.of()).adjust(config).strongShare()).isZero();
    Method plain = Methods.create("multitask", Map.of("separation-weight", "1"));
    assertThat(plain.tasks(1).get(2).foregroundWeight()).isEqualTo(1.0);
    assertThat(plain.options()).containsEntry("separation-weight", "1.0");
    assertThat(Methods.create("multitask", Map.of()).tasks(1).get(2).foregroundWeight())
        .isEqualTo(LazyMultiTask.SEPARATION_WEIGHT).isEqualTo(20.0);
  }

  @Test
  void multiTaskCutsInstancesAtItsThresholdAndLeastPiece() {
    // a 40 x 4 bar, a faint interface (0.2) at column 15 and a strong one (0.9) at 26:
    // pieces of 60, 40 and 52 pixels
    org.lazyseg.core.image.LabelImage classes = new org.lazyseg.core.image.LabelImage(40, 4);
    float[][] sep = new float[2][160];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 40; x++) {
        classes.set(x, y, 1);
      }
      sep[1][y * 40 + 15] = 0.2f;
      sep[1][y * 40 + 26] = 0.9f;
    }
    java.util.function.Function<Map<String, String>, Integer> count = o ->
        org.lazyseg.core.ops.Components.countIds(
            Methods.create("multitask", o).instances(classes, sep));
    assertThat(count.apply(Map.of())).as("threshold 0.1 cuts both").isEqualTo(3);
    assertThat(count.apply(Map.of("interface-threshold", "0.5"))).isEqualTo(2);
    assertThat(count.apply(Map.of("min-piece", "45"))).as("the 40-pixel piece rejoins")
        .isEqualTo(2);
    assertThat(Methods.create("multitask", Map.of("min-piece", "45")).options())
        .containsEntry("min-piece", "45");
    assertThatThrownBy(() -> Methods.create("multitask", Map.of("min-piece", "-1")))
        .hasMessageContaining("min-piece must be a whole number >= 0");
    assertThat(Methods.create("multitask", Map.of("separation", "false")).options())
        .containsOnlyKeys("separation", "pseudo-labels", "prediction")
        .containsEntry("pseudo-labels", "true").containsEntry("prediction", "split");
  }

  @Test
  void multiTaskWithFarBackgroundTeachesItsSegmentationHeadFromPartialMasks(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    org.lazyseg.core.data.Dataset data = org.lazyseg.core.data.Dataset.open(
        org.lazyseg.train.testing.DiscDatasets.write(dir, 3, 96, 5));
    Method plain = Methods.create("multitask", Map.of("pseudo-labels", "false"));
    Method far = Methods.create("multitask", Map.of("far-background", "3"));
    assertThat(far.options()).containsEntry("far-background", "3.0")
        .as("far background turns the pseudo-mask default off")
        .containsEntry("pseudo-labels", "false");
    assertThatThrownBy(() -> Methods.create("multitask",
        Map.of("far-background", "3", "pseudo-labels", "true")))
        .hasMessageContaining("choose one");
    assertThat(plain.options()).doesNotContainKey("far-background");
    int background = 0, objectCalledBackground = 0;
    for (org.lazyseg.core.data.Sample s : data.samples()) {
      assertThat(plain.targets(s.labeled().withoutMask(), 1)[0]).as("no strong mask, no target").isNull();
      int[] truth = s.loadClasses().data();
      int[] partial = s.loadPartial().data();
      int[] t = far.targets(s.labeled().withoutMask(), 1)[0].data();
      for (int i = 0; i < t.length; i++) {
        if (partial[i] > 0) {
          assertThat(t[i]).isEqualTo(1);
        } else {
          assertThat(t[i]).isIn(0, org.lazyseg.core.image.LabelImage.IGNORE);
        }
        background += t[i] == 0 ? 1 : 0;
        objectCalledBackground += t[i] == 0 && truth[i] > 0 ? 1 : 0;
      }
      assertThat(far.targets(s.labeled(), 1)[0].data()).as("a strong mask wins").isEqualTo(truth);
    }
    assertThat(background).isPositive();
    assertThat(objectCalledBackground).isLessThan(background / 50);
    assertThatThrownBy(() -> Methods.create("multitask", Map.of("far-background", "-1")))
        .hasMessageContaining("far-background must be a number >= 0, not '-1'");
  }
  @Test
  void multiTaskWithPseudoLabelsTeachesItsSegmentationHeadTheBaselinesMasks(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    org.lazyseg.core.data.Dataset data = org.lazyseg.core.data.Dataset.open(
        org.lazyseg.train.testing.DiscDatasets.write(dir, 3, 64, 4));
    Method pseudo = Methods.create("multitask", Map.of("pseudo-labels", "true"));
    Method baseline = Methods.byName(PseudoLabelTraining.NAME);
    assertThat(pseudo.options()).containsEntry("pseudo-labels", "true");
    assertThat(Methods.create("multitask", Map.of()).options())
        .as("the default").containsEntry("pseudo-labels", "true");
    assertThat(Methods.create("multitask", Map.of("pseudo-labels", "false")).options())
        .containsEntry("pseudo-labels", "false");
    for (org.lazyseg.core.data.Sample s : data.samples()) {
      org.lazyseg.core.image.LabelImage[] t = pseudo.targets(s.labeled().withoutMask(), 1);
      assertThat(t[0].data()).isEqualTo(baseline.targets(s.labeled().withoutMask(), 1)[0].data());
      assertThat(t[1].data()).as("detection still the partial mask")
          .isEqualTo(Method.asClasses(s.loadPartial(), 1).data());
      assertThat(pseudo.targets(s.labeled(), 1)[0].data()).as("a strong mask wins")
          .isEqualTo(s.loadClasses().data());
    }
    assertThatThrownBy(() -> Methods.create("multitask",
        Map.of("pseudo-labels", "true", "far-background", "3")))
        .hasMessageContaining("choose one");
  }

  /**
   * A method's behaviour must not depend on the order its hooks are called in: no method
   * keeps state that a hook sets and another reads, so every instance field is final (and
   * settled values come back as new instances from forData and afterTraining).
   */
  @Test
  void everyMethodIsImmutable() {
    assertThat(Methods.all()).hasSizeGreaterThanOrEqualTo(7);
    for (Method m : Methods.all()) {
      for (java.lang.reflect.Field f : m.getClass().getDeclaredFields()) {
        if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
          assertThat(java.lang.reflect.Modifier.isFinal(f.getModifiers()))
              .as(m.name() + "." + f.getName() + " is final").isTrue();
        }
      }
    }
  }
}
