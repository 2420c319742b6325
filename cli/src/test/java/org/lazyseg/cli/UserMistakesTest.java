package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.lazyseg.core.data.OutputFolder;

/**
 * The user mistakes of issue 29 that once exited 1 ("internal error"), were accepted silently,
 * or destroyed files: each is now one line and exit 2 (command line) or 3 (files), and outputs
 * never replace what LazySeg did not write. None of them trains: they fail before.
 */
class UserMistakesTest {
  @TempDir Path dir;
  Path data;
  /** A folder that passes predict's first check (model.json); the out checks come before it is opened. */
  Path run;

  @BeforeEach
  void dataAndRun() throws Exception {
    data = dir.resolve("data");
    Discs.write(data, 4, 1, 5);
    run = dir.resolve("run");
    Files.createDirectories(run);
    Files.writeString(run.resolve("model.json"), "{}");
  }

  private static void assertOneLine(CliTest.Result r, int code, String... fragments) {
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains(fragments).doesNotContain("internal error");
  }

  @ParameterizedTest(name = "simulate {0} {1}")
  @CsvSource({"--strong,2", "--partial,-1", "--scribbles,NaN", "--threads,0"})
  void simulateRefusesNumbersOutOfRangeAsUsageErrors(String option, String value) {
    CliTest.Result r = CliTest.run("simulate", "--from", data.toString(), "--out",
        dir.resolve("s").toString(), option, value);
    assertOneLine(r, 2, option, value, "lazyseg simulate --help");
    assertThat(dir.resolve("s")).doesNotExist();
  }

  @ParameterizedTest(name = "train {0} {1}")
  @CsvSource({"--width,0", "--depth,12", "--crop,3", "--fraction,2", "--minutes,Infinity",
      "--minutes,NaN", "--lr,1e30", "--threads,-3"})
  void trainRefusesNumbersOutOfRangeInOneLine(String option, String value) {
    CliTest.Result r = CliTest.run("train", "--data", data.toString(), "--out",
        dir.resolve("t").toString(), option, value);
    assertOneLine(r, 2, option, "lazyseg train --help");
    assertThat(dir.resolve("t")).doesNotExist();
  }

  /** fp16 (GPU autocast in PyTorch) is not run by LazySeg: named, never reaching the engine. */
  @ParameterizedTest(name = "{0} --precision {1}")
  @CsvSource({"train,fp16", "predict,half", "demo,bf8"})
  void anUnknownPrecisionIsAUsageErrorNamingTheChoices(String command, String value) {
    CliTest.Result r = switch (command) {
      case "train" -> CliTest.run("train", "--data", data.toString(), "--out",
          dir.resolve("t").toString(), "--precision", value);
      case "predict" -> CliTest.run("predict", "--model", run.toString(), "--input",
          data.resolve("images").toString(), "--out", dir.resolve("p").toString(),
          "--precision", value);
      default -> CliTest.run("demo", "--out", dir.resolve("d").toString(), "--precision", value);
    };
    assertOneLine(r, 2, "--precision must be auto, fp32 or bf16, not '" + value + "'",
        "lazyseg " + command + " --help");
    assertThat(dir.resolve("t")).doesNotExist();
    assertThat(dir.resolve("p")).doesNotExist();
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void anAnnealShareOutsideZeroToOneIsAUsageError() {
    CliTest.Result r = CliTest.run("train", "--data", data.toString(), "--out",
        dir.resolve("a").toString(), "--anneal", "1.5");
    assertOneLine(r, 2, "--anneal must be in [0, 1], not 1.5", "lazyseg train --help");
    assertThat(dir.resolve("a")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1.5", "half", "-0.5"})
  void aWorkingScaleOutsideZeroToOneIsAUsageError(String value) {
    CliTest.Result r = CliTest.run("train", "--data", data.toString(), "--out",
        dir.resolve("s").toString(), "--scale", value);
    assertOneLine(r, 2, "--scale must be a number in (0, 1] or auto, not '" + value + "'",
        "lazyseg train --help");
    assertThat(dir.resolve("s")).doesNotExist();
  }

  @Test
  void anUnknownNormalisationIsAUsageErrorAndHelpSaysWhatEachDoes() {
    CliTest.Result r = CliTest.run("train", "--data", data.toString(), "--out",
        dir.resolve("t").toString(), "--normalize", "minmax");
    assertOneLine(r, 2, "--normalize must be dataset or percentile, not 'minmax'",
        "lazyseg train --help");
    assertThat(dir.resolve("t")).doesNotExist();
    String help = CliTest.run("train", "--help").out().replaceAll("\\s+", " ");
    assertThat(help).contains("--normalize=KIND")
        .contains("dataset: one mean and standard deviation per channel, computed once from"
            + " the training images")
        .contains("percentile: each image by its own 1st and 99.8th percentile per channel")
        .contains("Default: " + org.lazyseg.train.data.Normalization.DEFAULT_KIND
            + ", and dataset for --method tags")
        .contains("a resumed run keeps its own, naming the other is refused");
  }

  @Test
  void aMistypedOptionIsOneLineWithASuggestion() {
    CliTest.Result r = CliTest.run("train", "--data", data.toString(), "--out",
        dir.resolve("t").toString(), "--minute", "3");
    assertOneLine(r, 2, "--minute", "did you mean");
  }

  private CliTest.Result predict(Path input, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("predict", "--model", run.toString(), "--input",
        input.toString(), "--out", out.toString(), "--threads", "1"));
    args.addAll(Arrays.asList(more));
    return CliTest.run(args.toArray(String[]::new));
  }

  @Test
  void predictNeverWritesIntoOrInsideTheFoldersItReads() throws Exception {
    Path images = data.resolve("images");
    byte[] before = Files.readAllBytes(images.resolve("im0.png"));
    // The input folder, a folder inside it, the dataset's masks (ground truth), the folder of a
    // single input file: each would let an output replace an input.
    for (Path[] inOut : new Path[][] {{images, images}, {images, images.resolve("seg")},
        {data, data.resolve("masks")}, {images.resolve("im0.png"), images}}) {
      CliTest.Result r = predict(inOut[0], inOut[1], "--overwrite");
      assertOneLine(r, LazySeg.EXIT_INPUT, "input folder", "choose an --out outside it");
    }
    assertThat(Files.readAllBytes(images.resolve("im0.png"))).isEqualTo(before);
    assertThat(images.resolve("seg")).doesNotExist();
  }

  @Test
  void predictRefusesAFolderOfOtherFilesUnlessOverwriteAndAFileAsOut() throws Exception {
    Path theirs = dir.resolve("theirs");
    Files.createDirectories(theirs);
    Files.writeString(theirs.resolve("notes.txt"), "mine");
    CliTest.Result r = predict(data.resolve("images"), theirs);
    assertOneLine(r, LazySeg.EXIT_INPUT, "theirs", "did not write", "--overwrite");
    assertThat(theirs.resolve(OutputFolder.MARKER)).doesNotExist();

    Path file = dir.resolve("afile");
    Files.writeString(file, "x");
    assertOneLine(predict(data.resolve("images"), file), LazySeg.EXIT_INPUT, "afile", "is a file");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  /** A folder nobody may create (not even root, which ignores permissions): exit 3, named. */
  @Test
  void anUnwritableOutputIsAnInputOutputErrorNotABug() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")));
    Path out = Path.of("/proc/lazyseg-no-such-folder");
    assertOneLine(predict(data.resolve("images"), out), LazySeg.EXIT_INPUT, out.toString());
    assertOneLine(CliTest.run("simulate", "--from", data.toString(), "--out", out.toString()),
        LazySeg.EXIT_INPUT, out.toString());
  }

  @Test
  void anOutputFolderOfAnotherCommandIsNotMistakenForOurs() throws Exception {
    Path out = dir.resolve("out");
    OutputFolder.claim(out, "lazyseg patches", false, null);
    Files.writeString(out.resolve("split.csv"), "id,split\n");
    CliTest.Result r = predict(data.resolve("images"), out);
    assertOneLine(r, LazySeg.EXIT_INPUT, "written by lazyseg patches");
  }

  @Test
  void patchesAndSimulateKeepAUsersFilesAndTheirSource() throws Exception {
    Path theirs = dir.resolve("theirs");
    Files.createDirectories(theirs);
    Files.writeString(theirs.resolve("split.csv"), "my own split");
    for (String command : List.of("patches", "simulate")) {
      CliTest.Result r = CliTest.run(command, "--from", data.toString(), "--out", theirs.toString());
      assertOneLine(r, LazySeg.EXIT_INPUT, "theirs", "did not write");
      assertThat(Files.readString(theirs.resolve("split.csv"))).isEqualTo("my own split");
      r = CliTest.run(command, "--from", data.toString(), "--out", data.resolve("more").toString());
      assertOneLine(r, LazySeg.EXIT_INPUT, "lies inside the input folder");
    }
  }

  @Test
  void aRerunIntoItsOwnOutputFolderIsAccepted() throws Exception {
    Path out = dir.resolve("out");
    OutputFolder.claim(out, "lazyseg predict", false, null);
    Files.writeString(out.resolve("im0.png"), "an earlier output");
    OutputFolder.claim(out, "lazyseg predict", false, null);
    assertThat(Files.readString(out.resolve(OutputFolder.MARKER)).strip())
        .isEqualTo("lazyseg predict");
  }
}
