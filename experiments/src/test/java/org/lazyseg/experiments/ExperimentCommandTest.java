package org.lazyseg.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.cli.LazySeg;
import org.lazyseg.core.synth.FoamGenerator;

/**
 * A preset end to end on foam images standing in for a dataset (a folder named like the
 * preset's dataset under --data-root), with seconds-long runs: tables, pictures, and a second
 * start that trains and tests nothing again.
 */
class ExperimentCommandTest {
  @TempDir Path dir;

  @Test
  void aPresetRunsEveryMethodWritesTheTableAndSkipsFinishedRunsWhenStartedAgain()
      throws Exception {
    new FoamGenerator().writeDataset(dir.resolve("data/dsb2018"), 6, 2, 5);
    Path out = dir.resolve("exp");
    String[] args = {"experiment", "--preset", "lazy-labels-dsb2018", "--data-root",
        dir.resolve("data").toString(), "--out", out.toString(), "--profile", "quick",
        "--minutes-per-run", "0.01", "--fractions", "1.0", "--threads", "1", "--no-progress"};
    ExperimentsTest.Result first = ExperimentsTest.run(args);
    assertThat(first.code()).as(first.err()).isZero();

    String table = Files.readString(out.resolve("lazy-labels-dsb2018/results.md"));
    assertThat(table).contains("U-net, weak labels only", "U-net, strong only",
        "| multi-task (defaults: pseudo masks, split read-out) |",
        "| multi-task as the paper (strong masks only, plain read-out) |",
        "multi-task without separation", "multi-task, paper decoder", "pseudo labels (GrabCut)", "object Dice", "separation recall",
        "multi-task, separation loss a plain mean (weight 1, as the paper)",
        "multi-task, segmentation head also on partial masks (far background 3)");
    assertThat(Files.readString(out.resolve("lazy-labels-dsb2018/results.json")))
        .contains("\"rows\"", "\"annotation cost\"");
    List<Path> done = find(out, "done.json");
    assertThat(done).hasSize(9);
    assertThat(find(out, "test-test.json")).hasSize(9);
    assertThat(find(out, "foam0006-image-truth-prediction.png")).hasSize(9);

    FileTime before = Files.getLastModifiedTime(done.get(0));
    ExperimentsTest.Result again = ExperimentsTest.run(args);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.err()).doesNotContain("lazyseg: run ", "simulating");
    assertThat(Files.getLastModifiedTime(done.get(0))).isEqualTo(before);
  }

  @Test
  void unknownPresetsAndMissingDataAreClearErrors() {
    ExperimentsTest.Result unknown = ExperimentsTest.run("experiment", "--preset", "nope");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown preset 'nope'", "lazy-labels-glas");

    ExperimentsTest.Result missing = ExperimentsTest.run("experiment", "--preset",
        "lazy-labels-glas", "--data-root", dir.toString(), "--out", dir.resolve("o").toString());
    assertThat(missing.code()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(missing.err()).contains("dataset 'glas' not found", "--data-root");
  }

  @Test
  void presetOptionsAreCheckedByThePreset() {
    ExperimentsTest.Result none = ExperimentsTest.run("experiment", "--preset", "lazy-labels-glas",
        "-O", "side=128", "--out", dir.resolve("o").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("preset 'lazy-labels-glas' takes no options, got side");

    ExperimentsTest.Result unknown = ExperimentsTest.run("experiment", "--preset", "sizes-hc18",
        "-O", "width=3", "--out", dir.resolve("o").toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown option 'width' (known: side)");

    ExperimentsTest.Result small = ExperimentsTest.run("experiment", "--preset", "sizes-hc18",
        "-O", "side=4", "--out", dir.resolve("o").toString());
    assertThat(small.code()).isEqualTo(2);
    assertThat(small.err()).contains("side must be >= 8, got 4");
  }

  private static List<Path> find(Path root, String name) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().equals(name)).sorted().toList();
    }
  }
}
