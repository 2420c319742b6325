package org.lazyseg.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;

/** The sizes preset end to end on a stand-in "hc18" of discs, with one-step runs. */
class SizesPresetTest {
  @TempDir Path dir;

  private void writeDiscs(Path data, int n) throws Exception {
    Random rng = new Random(2);
    StringBuilder split = new StringBuilder("id,split\n");
    for (int i = 0; i < n; i++) {
      FloatImage image = new FloatImage(60, 50, 1);
      LabelImage mask = new LabelImage(60, 50);
      double r = 6 + 6 * rng.nextDouble(), cx = 15 + 30 * rng.nextDouble(),
          cy = 15 + 20 * rng.nextDouble();
      for (int y = 0; y < 50; y++) {
        for (int x = 0; x < 60; x++) {
          boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
          mask.set(x, y, in ? 1 : 0);
          image.set(0, x, y, (float) ((in ? 0.7 : 0.3) + 0.1 * rng.nextGaussian()));
        }
      }
      String id = "d" + i;
      ImageFiles.writeImage(image, data.resolve("images/" + id + ".png"), false);
      ImageFiles.writeLabels(mask, data.resolve("masks/" + id + ".png"));
      split.append(id).append(',').append(i < n - 2 ? "train" : "test").append('\n');
    }
    Files.writeString(data.resolve("split.csv"), split);
  }

  @Test
  void tablesIoUAndSizeErrorBeforeAndAfterFineTuningAndTheStepCost() throws Exception {
    writeDiscs(dir.resolve("data/hc18"), 10);
    StringWriter log = new StringWriter();
    ExperimentContext ctx = new ExperimentContext(new ExperimentContext.Settings(
        dir.resolve("exp"), dir.resolve("data"), "quick", 0.01, List.of(0.25), 1, 1,
        new PrintWriter(log), null));
    // the working side through the option users give on the command line (-O side=32)
    new SizesPreset(64, 1).withOptions(Map.of("side", "32")).run(ctx);

    String table = Files.readString(dir.resolve("exp/sizes-hc18/results.md"));
    assertThat(table).as(log.toString()).contains("pre-trained (m masks)",
        "fine-tuned (+ sizes)", "test IoU", "E (px^2)", "Step cost on the same batches",
        "m = 2: fine-tuning changes test IoU", "m in training",
        "control: fine-tuned with size weight 0", "m = 2, control (the same steps without");
    try (var s = Files.walk(dir.resolve("exp/runs"))) {
      List<Path> tested = s.filter(p -> p.getFileName().toString().equals("test-test.json"))
          .toList();
      // RUN/pretrain, RUN, the control's copy of RUN/pretrain (tested with it) and the control
      assertThat(tested).hasSize(4);
      assertThat(tested.get(0).toString()).contains("sizes-side32-");
      assertThat(tested).anyMatch(p -> p.toString().contains("sizes-side32-weight0-"));
    }
    assertThat(Files.readString(dir.resolve("exp/sizes-hc18/results.json")))
        .contains("\"strong m\"");
  }
}
