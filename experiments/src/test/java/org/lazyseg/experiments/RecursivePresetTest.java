package org.lazyseg.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.synth.FoamGenerator;

/**
 * The recursive preset end to end on foam images standing in for HC18, with seconds-long
 * runs: every comparison and ablation row, the per-run round files, shared runs trained once.
 */
class RecursivePresetTest {
  @TempDir Path dir;

  @Test
  void thePresetComparesMethodsAndAblatesLambda() throws Exception {
    new FoamGenerator().writeDataset(dir.resolve("data/hc18"), 4, 1, 3);
    Path out = dir.resolve("exp");
    String[] args = {"experiment", "--preset", "recursive-hc18", "--data-root",
        dir.resolve("data").toString(), "--out", out.toString(), "--profile", "quick",
        "--minutes-per-run", "0.01", "--fractions", "0.5", "--threads", "1",
        "--no-progress"};
    ExperimentsTest.Result first = ExperimentsTest.run(args);
    assertThat(first.code()).as(first.err()).isZero();

    String table = Files.readString(out.resolve("recursive-hc18/results.md"));
    assertThat(table).contains("| recursive |", "pseudo labels (GrabCut)", "U-net, strong only",
        "recursive, lambda 0 ", "recursive, lambda 0.5", "1 round (no re-labelling)",
        "lambda-pred 10", "prediction segmentation", "prediction grow-keep",
        "prediction approximation",
        "approx. Dice round 0");
    // Rows in the order they run: what the bars need first, then what only predicts.
    assertThat(table.indexOf("U-net, strong only")).isLessThan(table.indexOf("pseudo labels"));
    assertThat(table.indexOf("prediction grow-keep"))
        .isLessThan(table.indexOf("recursive, lambda 0 "));
    // recursive, pseudo labels, U-net; lambda 0, lambda 0.5, 1 round.
    assertThat(find(out, "done.json")).hasSize(6);
    assertThat(find(out, "test-test-lambda-pred10.json")).hasSize(1);
    assertThat(find(out, "test-test-predictionapproximation.json")).hasSize(1);
    assertThat(find(out, "test-test-seed-thresholdauto.json")).hasSize(1);
    assertThat(table).contains("recursive, seeds at the argmax");
    assertThat(find(out, "approximation-dice.json")).hasSize(4);
    assertThat(out.resolve("recursive-hc18/results.json")).isRegularFile();
    assertThat(out.resolve("recursive-hc18/approximation-dice-f0.5.png")).isRegularFile();

    ExperimentsTest.Result again = ExperimentsTest.run(args);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.err()).doesNotContain("lazyseg: run ");
  }

  private static List<Path> find(Path root, String name) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().equals(name)).sorted().toList();
    }
  }
}
