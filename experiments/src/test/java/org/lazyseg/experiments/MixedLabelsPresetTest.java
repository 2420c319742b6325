package org.lazyseg.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mixed-labels preset end to end on a tiny stand-in dataset with seconds-long runs. */
class MixedLabelsPresetTest {
  @TempDir Path dir;

  @Test
  void singleKindRunsGetTheMixedRunsBudget() {
    double b = MixedLabelsPreset.budget(MixedLabelsPreset.MIX);
    assertThat(b).isCloseTo(0.05 + 0.6 / 6 + 0.35 / 12, within(1e-12));
    var entries = MixedLabelsPreset.entries(b);
    assertThat(entries.get(2).mix().strong()).isCloseTo(b, within(1e-12));
    assertThat(MixedLabelsPreset.budget(entries.get(2).mix())).isCloseTo(b, within(1e-12));
    assertThat(entries.get(3).mix().partial()).isEqualTo(1.0);   // 6B > 1: capped
  }

  @Test
  void comparesTheMixedModelWithTheSingleKindMethodsAndStatesTheBars() throws Exception {
    TagsPresetTest.writeDataset(dir.resolve("data/dsb2018"), 12, 40);
    Path out = dir.resolve("exp");
    String[] args = {"experiment", "--preset", "mixed-labels-dsb2018", "-O", "seeds=1",
        "--data-root", dir.resolve("data").toString(), "--out", out.toString(), "--profile",
        "quick", "--minutes-per-run", "0.005", "--threads", "1", "--no-progress"};
    ExperimentsTest.Result first = ExperimentsTest.run(args);
    assertThat(first.code()).as(first.err()).isZero();
    String table = Files.readString(out.resolve("mixed-labels-dsb2018/results.md"));
    assertThat(table).contains("| lazy, mixed labels | strong=0.05,partial=0.6,tags=0.35 |",
        "U-net, strong masks only", "U-net, partial masks only",
        "- Bar (seed 0): mixed >= the best single-kind method",
        "- Bar (seed 0): tags-only images do not lower Dice");
    try (Stream<Path> s = Files.walk(out)) {
      assertThat(s.filter(p -> p.getFileName().toString().equals("done.json"))).hasSize(4);
    }
  }
}
