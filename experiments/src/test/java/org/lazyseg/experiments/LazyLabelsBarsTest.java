package org.lazyseg.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bar lines of the lazy-labels table, from made-up scores. */
class LazyLabelsBarsTest {
  private static final Path DATA = Path.of("lazy");

  private static TestScores scores(double dice, double countError) {
    return new TestScores("test", 10, dice, 0, dice - 0.2, 0, countError, 0, 0, 0);
  }

  @Test
  void eachMultiTaskVariantIsJudgedAgainstTheSameBaselines() {
    Map<RunSpec, TestScores> done = new LinkedHashMap<>();
    done.put(RunSpec.of(DATA, "multitask", 0.094).withOption("pseudo-labels", "false")
        .withOption("prediction", "segmentation"), scores(0.80, 11));
    done.put(RunSpec.of(DATA, "multitask", 0.094), scores(0.84, 2.5));
    done.put(RunSpec.of(DATA, "multitask", 0.094).withOption("separation", "false"),
        scores(0.81, 12));
    done.put(RunSpec.of(DATA, "supervised", 0.094), scores(0.78, 15));
    done.put(RunSpec.of(DATA, "supervised", 1.0), scores(0.86, 10));
    done.put(RunSpec.of(DATA, "pseudo-labels", 0.094), scores(0.82, 10));
    // rows of other fractions must not be taken for the 9.4% ones
    done.put(RunSpec.of(DATA, "supervised", 0.047), scores(0.10, 0));

    List<String> bars = LazyLabelsPreset.bars(done, true);

    assertThat(bars).containsExactly(
        "- Bar: multi-task at 9.4% beats GrabCut pseudo labels at equal labels: +0.020 Dice (met)",
        "- Bar: multi-task at 9.4% beats U-net on the same strong masks by >= 0.05 Dice: +0.060 (met)",
        "- Bar: multi-task at 9.4% beats U-net on the same strong masks by >= 0.05 object Dice: +0.060 (met)",
        "- Bar: multi-task at 9.4% count error <= 3 objects per image: 2.50 (met)",
        "- Bar: multi-task at 9.4% reaches >= 0.95 of U-net on 100% strong: 0.977 (met)",
        "- Bar: multi-task as the paper at 9.4% beats GrabCut pseudo labels at equal labels: -0.020 Dice (missed)",
        "- Bar: multi-task as the paper at 9.4% beats U-net on the same strong masks by >= 0.05 Dice: +0.020 (missed)",
        "- Bar: multi-task as the paper at 9.4% reaches >= 0.95 of U-net on 100% strong: 0.930 (missed)",
        "- Bar: instance count error with separation below without: 2.50 vs 12.00 (met)");
  }

  @Test
  void barsWhoseRunsAreMissingAreLeftOut() {
    Map<RunSpec, TestScores> done = new LinkedHashMap<>();
    done.put(RunSpec.of(DATA, "multitask", 0.094).withOption("pseudo-labels", "false")
        .withOption("prediction", "segmentation"), scores(0.84, 9));
    done.put(RunSpec.of(DATA, "multitask", 0.094).withOption("separation", "false"),
        scores(0.81, 12));
    done.put(RunSpec.of(DATA, "supervised", 0.094), scores(0.80, 15));

    assertThat(LazyLabelsPreset.bars(done, true)).containsExactly(
        "- Bar: multi-task as the paper at 9.4% beats U-net on the same strong masks by >= 0.05 Dice: +0.040 (missed)");
    assertThat(LazyLabelsPreset.bars(Map.of(), false)).isEmpty();
  }
}
