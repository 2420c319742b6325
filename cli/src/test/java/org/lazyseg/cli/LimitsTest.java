package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.Task;
import org.lazyseg.train.data.Normalization;

/**
 * Numbers that cannot work are refused before anything is allocated, each with exit code 2
 * (3 for a dataset file) and one line that names the number and the limit; running out of
 * memory anyway is one line and exit code 3.
 */
class LimitsTest {
  @TempDir Path dir;

  /**
   * Runs the command; asserts the exit code and that stderr is one line, of a usage error
   * (exit code 2) or an input error (3); returns it.
   */
  private static String refused(int code, String... args) {
    CliTest.Result r = CliTest.run(args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(code);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith(code == 2 ? "lazyseg " + args[0] + ": " : "lazyseg: error: ");
    return r.err().strip();
  }

  private Path data() throws Exception {
    Path data = dir.resolve("data");
    Discs.write(data, 3, 1, 5);
    return data;
  }

  @Test
  void trainingThatCannotFitThisMachinesMemoryIsRefusedWithTheEstimateAndTheLimit()
      throws Exception {
    Path data = data(), run = dir.resolve("run");
    String line = refused(2, "train", "--data", data.toString(), "--out", run.toString(),
        "--crop", "4096", "--batch", "1024");
    // 4096^2 x 1024 x (200 x 16 + 8 x 2) bytes = 50.3 TiB
    assertThat(line).contains("crops of 4096 x 4096, batch 1024, width 16 and 2 head classes")
        .contains("need about 50.3 TiB").contains("more than the ").contains("GiB of this machine")
        .contains("--crop, --batch or --width");
    // The width counts too.
    assertThat(refused(2, "train", "--data", data.toString(), "--out", run.toString(),
        "--width", "512", "--crop", "2048", "--batch", "64")).contains("width 512");
    assertThat(refused(2, "train", "--data", data.toString(), "--out", run.toString(),
        "--crop", "100000")).contains("--crop must be a multiple of 8").contains("4096");
    assertThat(refused(2, "train", "--data", data.toString(), "--out", run.toString(),
        "--batch", "100000")).contains("--batch must be between 1 and 1024, not 100000");
    assertThat(refused(2, "train", "--data", data.toString(), "--out", run.toString(),
        "--threads", "0")).contains("--threads must be between 1 and");
    assertThat(run).doesNotExist();
  }

  @Test
  void aDatasetWithMoreClassesThanALabelImageHoldsIsNamed() throws Exception {
    Path data = data();
    Files.writeString(data.resolve("classes.txt"), IntStream.rangeClosed(1, 70000)
        .mapToObj(k -> "c" + k).collect(Collectors.joining("\n")));
    assertThat(refused(3, "train", "--data", data.toString(), "--out",
        dir.resolve("run").toString())).contains(data.resolve("classes.txt").toString())
        .contains("70000 class names, more than the 65535");
    Files.writeString(data.resolve("classes.txt"), "\n \n");
    assertThat(refused(3, "train", "--data", data.toString(), "--out",
        dir.resolve("run").toString())).contains("no class names");
  }

  @Test
  void evaluateTakesOneToAsManyClassesAsALabelImageHolds() throws Exception {
    Path data = data();
    for (String k : new String[] {"0", "-1", "2147483647", "65536"}) {
      assertThat(refused(2, "evaluate", "--pred", data.resolve("masks").toString(), "--truth",
          data.resolve("masks").toString(), "--classes", k))
          .contains("--classes must be between 1 and 65535").contains("not " + k + " (");
    }
    CliTest.Result ok = CliTest.run("evaluate", "--pred", data.resolve("masks").toString(),
        "--truth", data.resolve("masks").toString(), "--classes", "2");
    assertThat(ok.code()).as(ok.err()).isZero();
  }

  @Test
  void predictRefusesTilesAndThreadsItCannotUse() throws Exception {
    // A run folder's model.json is all predict reads before these checks.
    Path run = dir.resolve("run");
    ModelSpec wide = ModelSpec.builder().setChannels(1).addTask(Task.of("segmentation", 2))
        .optWidth(512).optDepth(4)
        .optNormalization(new Normalization(new float[] {0.5f}, new float[] {0.2f})).build();
    Files.createDirectories(run);
    RunFolder.write(new RunFolder(run).modelFile(), new RunFolder.SavedModel(wide, 256));
    String[] base = {"predict", "--model", run.toString(), "--input", dir.toString(), "--out",
        dir.resolve("out").toString()};
    for (String t : new String[] {"0", "-8", "100000"}) {
      assertThat(refused(2, concat(base, "--tile", t)))
          .contains(": --tile must be between 1 and 4096 pixels, not " + t + " (");
    }
    // 4096^2 x (100 x 512 + 12 x 2) bytes = 800 GiB
    assertThat(refused(2, concat(base, "--tile", "4096")))
        .contains("tiles of 4096 x 4096 for a network of width 512 and 2 head classes need about"
            + " 800.4 GiB").contains("use a smaller --tile");
    assertThat(refused(2, concat(base, "--threads", "0")))
        .contains("--threads must be between 1 and");
    assertThat(refused(2, concat(base, "--min-area", "-3")))
        .contains(": --min-area must be >= 0, not -3 (");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void runningOutOfMemoryIsOneLineSayingWhatRanOutAndWhatToDo() {
    picocli.CommandLine cl = LazySeg.commandLine();
    picocli.CommandLine.ParseResult predict = cl.parseArgs("predict", "--model", "m", "--input",
        "i", "--out", "o");
    String heap = LazySeg.outOfMemory(new RuntimeException("in a worker",
        new OutOfMemoryError("Java heap space")), predict);
    assertThat(heap).startsWith("out of memory: the Java heap (")
        .contains("is full (Java heap space)")
        .contains("try a smaller --tile or fewer --threads, or give Java more with"
            + " LAZYSEG_JAVA_OPTS=-Xmx");
    String torch = LazySeg.outOfMemory(new EngineException("[enforce fail at alloc_cpu.cpp:119]"
        + " err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate"
        + " 1099511627776 bytes. Error code 12 (Cannot allocate memory)"), predict);
    assertThat(torch).isEqualTo("out of memory: PyTorch could not allocate (err == 0."
        + " DefaultCPUAllocator: can't allocate memory: you tried to allocate 1099511627776"
        + " bytes. Error code 12 (Cannot allocate memory)): try a smaller --tile or fewer"
        + " --threads; PyTorch's memory is outside the Java heap, so a smaller -Xmx in"
        + " LAZYSEG_JAVA_OPTS leaves it more");
    picocli.CommandLine.ParseResult train = LazySeg.commandLine().parseArgs("train", "--data",
        "d", "--out", "o");
    assertThat(LazySeg.outOfMemory(new EngineException("CUDA out of memory. Tried to allocate"
        + " 2.00 GiB"), train)).contains("(CUDA out of memory. Tried to allocate 2.00 GiB): try"
        + " a smaller --crop, --batch or --width, or fewer --threads;");
    assertThat(LazySeg.outOfMemory(new EngineException("shape mismatch"), train)).isNull();
    assertThat(LazySeg.outOfMemory(new IllegalStateException("x"), train)).isNull();
  }

  /** A build without PyTorch's library (mvn -Pgpu) run offline: what to do, not a bug. */
  @Test
  void aMissingPyTorchLibraryIsOneLineSayingHowToGetIt() {
    String offline = System.getProperty("ai.djl.offline");
    System.setProperty("ai.djl.offline", "true");
    try {
      String line = LazySeg.engineMissing(new IllegalStateException("engine",
          new EngineException("Failed to save pytorch index file")));
      assertThat(line).isEqualTo("PyTorch's native library could not be loaded (Failed to"
          + " save pytorch index file): a build without it (mvn -Pgpu) needs"
          + " LAZYSEG_DOWNLOAD_PYTORCH=1 to download it on first use, or rebuild without -Pgpu"
          + " (README, GPU)");
      assertThat(LazySeg.engineMissing(new EngineException("shape mismatch"))).isNull();
    } finally {
      if (offline == null) {
        System.clearProperty("ai.djl.offline");
      } else {
        System.setProperty("ai.djl.offline", offline);
      }
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
