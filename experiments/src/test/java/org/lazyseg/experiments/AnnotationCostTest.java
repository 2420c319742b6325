package org.lazyseg.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.method.TrainingData;
import org.junit.jupiter.api.Test;

class AnnotationCostTest {
  private static Example pixels(String id) {
    return Example.of(id, new FloatImage(4, 4, 1), new LabelImage(4, 4));
  }

  @Test
  void strongMasksCountOnePartialMasksASixthTagsATwelfth() {
    List<Example> train = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      train.add(pixels("strong" + i));
    }
    for (int i = 0; i < 6; i++) {
      train.add(pixels("partial" + i));
    }
    train.add(new Example("tagged", new FloatImage(4, 4, 1), new LabelImage[] {null},
        new float[] {1f}));
    train.add(new Example("unlabelled", new FloatImage(4, 4, 1), new LabelImage[] {null}));
    TrainingData td = new TrainingData(train, List.of(), Set.of("strong0", "strong1"), 1);
    double perImage = ExperimentContext.annotationCost(td);
    assertThat(perImage).isCloseTo((2 + 6 / 6.0 + 1 / 12.0) / 10, within(1e-12));
    RunOutcome o = new RunOutcome("k", "multitask", 0.2, train.size(), 2, perImage, 1, 1, 1, false);
    assertThat(o.annotationTotal()).isCloseTo(3 + 1 / 12.0, within(1e-12));
  }

  @Test
  void strongOnlyRunCostsItsStrongMasks() {
    List<Example> train = List.of(pixels("a"), pixels("b"), pixels("c"));
    TrainingData td = new TrainingData(train, List.of(), Set.of("a", "b", "c"), 1);
    RunOutcome o = new RunOutcome("k", "supervised", 0.1, 3, 3,
        ExperimentContext.annotationCost(td), 1, 1, 1, false);
    assertThat(o.annotationTotal()).isCloseTo(3, within(1e-12));
  }
}
