package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.core.image.FloatImage;
import org.lazyseg.core.image.ImageFiles;
import org.lazyseg.core.image.LabelImage;
import picocli.CommandLine;

/** The command line as a user meets it: help, exit codes, one-line errors, JSON output. */
class CliTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = LazySeg.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** {@code predict} with the model of {@code run} on one thread, keeping every object. */
  static Result predict(Path run, Path in, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("predict", "--model", run.toString(),
        "--input", in.toString(), "--out", out.toString(), "--threads", "1", "--min-area", "0"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    Result r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo", "train", "predict", "evaluate", "simulate")
        .contains("Exit codes:").contains("bad input");
  }

  @Test
  void everyOptionOfEveryCommandIsExplained() {
    CommandLine cl = LazySeg.commandLine();
    for (CommandLine sub : cl.getSubcommands().values()) {
      for (CommandLine.Model.OptionSpec o : sub.getCommandSpec().options()) {
        assertThat(String.join(" ", o.description()))
            .as("%s %s", sub.getCommandName(), o.longestName()).isNotBlank();
      }
    }
  }

  @Test
  void unknownOptionIsAUsageError() {
    Result r = run("evaluate", "--pred", "p", "--truth", "t", "--bogus");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--bogus");
  }

  @Test
  void missingDatasetIsOneLineNamingTheFolderWithExitCode3() {
    Path missing = dir.resolve("nowhere");
    Result r = run("train", "--data", missing.toString(), "--out", dir.resolve("run").toString());
    assertThat(r.code()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(r.err().strip()).startsWith("lazyseg: error:").contains("nowhere");
    assertThat(r.err().strip().lines()).hasSize(1);
  }

  @Test
  void trainNamesEveryBadFileOfTheDatasetWithExitCode3() throws Exception {
    Path data = dir.resolve("data");
    for (String id : new String[] {"a", "b", "c"}) {
      ImageFiles.writeImage(new FloatImage(8, 6, 1), data.resolve("images/" + id + ".png"), false);
    }
    ImageFiles.writeLabels(new LabelImage(8, 5), data.resolve("masks/a.png"));
    ImageFiles.writeLabels(new LabelImage(8, 6), data.resolve("masks/b.png"));
    byte[] png = Files.readAllBytes(data.resolve("masks/b.png"));
    png[png.length - 20] ^= 1;   // a bit of the pixel data (IDAT, from byte 33): its CRC fails
    Files.write(data.resolve("masks/c.png"), png);
    // A header claiming 40000 x 40000 pixels: refused from its header, nothing allocated.
    Files.write(data.resolve("images/d.png"), Files.readAllBytes(data.resolve("images/a.png")));
    java.nio.ByteBuffer.wrap(png = Files.readAllBytes(data.resolve("images/d.png")), 16, 8)
        .putInt(40000).putInt(40000);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(png, 12, 17);
    java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
    Files.write(data.resolve("images/d.png"), png);
    Result r = run("train", "--data", data.toString(), "--out", dir.resolve("run").toString());
    assertThat(r.code()).as(r.err()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(r.err().strip().lines().toList()).satisfiesExactly(
        l -> assertThat(l).isEqualTo("lazyseg: error: 3 bad files:"),
        l -> assertThat(l).startsWith("  " + data.resolve("masks/a.png") + ": size 8x5"),
        l -> assertThat(l).isEqualTo("  " + data.resolve("masks/c.png")
            + ": damaged PNG (CRC error in chunk IDAT at byte 33)"),
        l -> assertThat(l).startsWith("  " + data.resolve("images/d.png")
            + ": 40000 x 40000 = 1600000000 pixels, more than the limit of"));
  }

  @Test
  void unknownMethodIsAUsageErrorListingTheKnownOnes() {
    Result r = run("train", "--data", dir.toString(), "--out", dir.resolve("run").toString(),
        "--method", "magic");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("magic").contains("supervised").contains("multitask");
  }

  @Test
  void evaluatePrintsOneJsonObjectWithTheMeans() {
    // Truth: a 2x2 square; prediction: the same square shifted one pixel right.
    // |X ∩ Y| = 2, |X| + |Y| = 8: Dice 0.5, IoU 2 / 6.
    LabelImage truth = new LabelImage(4, 4);
    LabelImage pred = new LabelImage(4, 4);
    for (int y = 1; y <= 2; y++) {
      truth.set(0, y, 1);
      truth.set(1, y, 1);
      pred.set(1, y, 1);
      pred.set(2, y, 1);
    }
    ImageFiles.writeLabels(truth, dir.resolve("truth/a.png"));
    ImageFiles.writeLabels(pred, dir.resolve("pred/a.png"));
    Result r = run("evaluate", "--pred", dir.resolve("pred").toString(),
        "--truth", dir.resolve("truth").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().strip()).startsWith("{\"images\":1,\"dice\":0.5,\"iou\":0.333")
        .contains("\"object_dice\":0.5").contains("\"object_hausdorff\":1.0")
        .contains("\"count_error\":0.0").endsWith("}");
  }

  @Test
  void evaluateNamesAMissingPrediction() throws Exception {
    ImageFiles.writeLabels(new LabelImage(3, 3), dir.resolve("truth/b7.png"));
    Files.createDirectories(dir.resolve("pred"));
    Result r = run("evaluate", "--pred", dir.resolve("pred").toString(),
        "--truth", dir.resolve("truth").toString());
    assertThat(r.code()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(r.err()).contains("b7");
  }

  @Test
  void predictRejectsAFolderThatIsNoRun() throws Exception {
    ImageFiles.writeImage(new FloatImage(8, 8, 1), dir.resolve("img.png"), false);
    Result r = run("predict", "--model", dir.toString(), "--input", dir.resolve("img.png").toString(),
        "--out", dir.resolve("out").toString());
    assertThat(r.code()).isEqualTo(LazySeg.EXIT_INPUT);
    assertThat(r.err()).contains("not a run folder");
  }

  @Test
  void simulateWithPseudoWritesAPseudoMaskPerPartialMask() throws Exception {
    Path data = dir.resolve("data");
    java.util.Random rnd = new java.util.Random(2);
    for (int k = 0; k < 3; k++) {
      FloatImage img = new FloatImage(48, 48, 1);
      LabelImage mask = new LabelImage(48, 48);
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 48; x++) {
          boolean inside = Math.hypot(x - 22 - k, y - 25) <= 12;
          img.set(0, x, y, (float) ((inside ? 0.75 : 0.2) + 0.04 * rnd.nextGaussian()));
          mask.set(x, y, inside ? 1 : 0);
        }
      }
      ImageFiles.writeImage(img, data.resolve("images/i" + k + ".png"), false);
      ImageFiles.writeLabels(mask, data.resolve("masks/i" + k + ".png"));
    }
    Path out = dir.resolve("sim");
    Result r = run("simulate", "--from", data.toString(), "--out", out.toString(), "--strong", "0",
        "--pseudo", "--threads", "2", "--no-overlays");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("3 pseudo masks (mean Dice vs truth");
    for (int k = 0; k < 3; k++) {
      LabelImage pseudo = ImageFiles.readLabels(out.resolve("pseudo/i" + k + ".png"));
      assertThat(pseudo.get(22 + k, 25)).isEqualTo(1);   // the object's instance id
      assertThat(pseudo.get(2, 2)).isZero();
    }
    // Without --pseudo there is none.
    Result plain = run("simulate", "--from", data.toString(), "--out", dir.resolve("sim2").toString(),
        "--no-overlays");
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(Files.exists(dir.resolve("sim2/pseudo"))).isFalse();
  }

  /** Numbers training cannot use are command-line mistakes: exit 2 and one line naming them. */
  @Test
  void trainRefusesNumbersItCannotUseWithExitCode2() throws Exception {
    Path data = dir.resolve("data");
    Discs.write(data, 3, 1, 5);
    String[][] cases = {
        {"--fraction", "2", "--fraction must be in [0, 1], not 2.0"},
        {"--width", "0", "--width must be between 1 and 512, not 0"},
        {"--depth", "12", "--depth must be between 1 and 8, not 12"},
        {"--crop", "3", "--crop must be a multiple of 8"},
        {"--minutes", "NaN", "--minutes must be a number of minutes > 0, not NaN"},
        {"--minutes", "Infinity", "--minutes must be a number of minutes > 0"},
        {"--lr", "1e30", "--lr must be in (0, 1)"},
        {"--threads", "100000", "--threads must be between 1 and"},
        {"--threads", "-3", "--threads must be between 1 and"}};
    for (String[] c : cases) {
      Result r = run("train", "--data", data.toString(), "--out", dir.resolve("run").toString(),
          c[0], c[1]);
      assertThat(r.code()).as(c[0] + " " + c[1] + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains(c[2]);
    }
    assertThat(dir.resolve("run")).doesNotExist();
  }
}
