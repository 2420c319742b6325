package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import org.lazyseg.train.nn.Precision;

/** train -> (kill) -> resume -> predict -> evaluate through the commands, on a tiny dataset. */
class TrainPredictTest {
  @TempDir Path dir;

  @Test
  void trainResumesAfterAStopThenPredictAndEvaluateWork() throws Exception {
    Path data = dir.resolve("data");
    Discs.write(data, 6, 3, 5);
    Path run = dir.resolve("run");
    String[] common = {"train", "--data", data.toString(), "--out", run.toString(),
        "--profile", "quick", "--crop", "32", "--batch", "2", "--width", "4", "--depth", "3",
        "--steps-per-epoch", "3", "--threads", "1", "--no-progress"};
    CliTest.Result first = CliTest.run(concat(common, "--epochs", "1"));
    assertThat(first.code()).as(first.err()).isZero();
    // auto: bf16 where the CPU has bf16 instructions, said and recorded.
    String auto = Precision.auto().label();
    assertThat(first.err()).contains("computing in " + auto + " (auto: ");
    assertThat(Files.readString(run.resolve("training-data.json")))
        .contains("\"precision\" : \"" + auto + "\"");
    assertThat(Files.readAllLines(run.resolve("metrics.csv"))).hasSize(2);
    // The same command with more epochs continues after epoch 1 instead of starting over.
    // Resuming in the other precision works: the parameters are fp32 either way.
    String other = auto.equals("bf16") ? "fp32" : "bf16";
    CliTest.Result second = CliTest.run(concat(common, "--epochs", "2", "--precision", other));
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.err()).contains("computing in " + other);
    assertThat(Files.readString(run.resolve("training-data.json")))
        .contains("\"precision\" : \"" + other + "\"");
    assertThat(second.err()).contains("epoch 2/2").doesNotContain("epoch 1/2");
    List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
    assertThat(rows).hasSize(3);
    assertThat(run.resolve("checkpoints/last/parameters.bin")).exists();
    assertThat(run.resolve("curves.png")).exists();

    Path pred = dir.resolve("pred");
    CliTest.Result p = CliTest.run("predict", "--model", run.toString(), "--input", data.toString(),
        "--out", pred.toString(), "--instances", "--probabilities", "--threads", "1",
        "--precision", "bf16");
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.err()).contains("computing in bf16");
    assertThat(pred.resolve("im4.png")).exists();
    assertThat(pred.resolve("instances/im5.png")).exists();
    assertThat(pred.resolve("probabilities/im5.png")).exists();
    assertThat(pred.resolve("im0.png")).as("training images are not predicted by default").doesNotExist();
    LabelImage seg = ImageFiles.readLabels(pred.resolve("im4.png"));
    assertThat(seg.width()).isEqualTo(48);
    assertThat(seg.height()).isEqualTo(48);

    // --min-area above the image's area drops every object from both images
    Path none = dir.resolve("pred-min-area");
    CliTest.Result q = CliTest.run("predict", "--model", run.toString(), "--input", data.toString(),
        "--out", none.toString(), "--instances", "--min-area", "2305", "--threads", "1");
    assertThat(q.code()).as(q.err()).isZero();
    assertThat(ImageFiles.readLabels(none.resolve("im4.png")).max()).isZero();
    assertThat(ImageFiles.readLabels(none.resolve("instances/im4.png")).max()).isZero();
    CliTest.Result bad = CliTest.run("predict", "--model", run.toString(), "--input",
        data.toString(), "--out", none.toString(), "--min-area", "-3");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("--min-area must be >= 0");

    // export: a folder that reproduces the probabilities; an existing folder or a missing
    // sample is one line naming it, and nothing is written.
    Path exported = dir.resolve("export");
    String sample = data.resolve("images/im4.png").toString();
    CliTest.Result ex = CliTest.run("export", "--model", run.toString(), "--sample", sample,
        "--out", exported.toString());
    assertThat(ex.code()).as(ex.err()).isZero();
    assertThat(ex.out()).contains("test tensors 48 x 48", "reproduces LazySeg's probabilities");
    assertThat(exported.resolve("model.pt")).exists();
    assertThat(Files.readString(exported.resolve("rdf.yaml"))).contains("name: run");
    CliTest.Result again = CliTest.run("export", "--model", run.toString(), "--sample", sample,
        "--out", exported.toString());
    assertThat(again.code()).isNotZero();
    assertThat(again.err()).contains(exported + ": exists");
    Path missing = dir.resolve("no-such.png");
    CliTest.Result noSample = CliTest.run("export", "--model", run.toString(), "--sample",
        missing.toString(), "--out", dir.resolve("export2").toString());
    assertThat(noSample.code()).isNotZero();
    assertThat(noSample.err()).contains(missing.toString());
    assertThat(dir.resolve("export2")).doesNotExist();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
