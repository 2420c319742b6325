package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.train.CheckpointState;
import org.lazyseg.train.Recovery;
import org.lazyseg.train.RunFolder;

/**
 * Issue 29: a real {@code lazyseg train} in a child JVM, killed with SIGKILL at every commit
 * step (the test-only halt of {@link RunFolder#haltPoint}) and at 20 seeded random moments
 * (startup, steps, validation, checkpoint writing), resumed each time. After every kill the
 * folder must be one that the next start resumes consistently; at the end the run has every
 * epoch exactly once and predicts from best and last.
 */
class CheckpointKillTest {
  @TempDir Path dir;

  private static final int EPOCHS = 50;

  /** The commit steps of an epoch, in the order it passes them (RunFolder's class comment). */
  private static final List<String> STEPS = List.of("last-written", "previous-dropped",
      "last-aside", "last-committed", "best-written", "best-aside", "best-committed",
      "metrics-written");

  /** A child JVM training, with its output collected as it comes. */
  private static final class Child {
    final Process process;
    final long started = System.nanoTime();
    final StringBuffer output = new StringBuffer();
    final CountDownLatch firstEpoch = new CountDownLatch(1);
    /** When each epoch line came (System.nanoTime). */
    final List<Long> epochLines = java.util.Collections.synchronizedList(new ArrayList<>());

    Child(List<String> command) throws IOException {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            output.append(line).append('\n');
            if (line.startsWith("epoch ")) {
              epochLines.add(System.nanoTime());
              firstEpoch.countDown();
            }
          }
        } catch (IOException e) {
          // the process was killed: its output ends here
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    /** Whether it trained an epoch: then it had taken the lock and tidied the folder. */
    boolean trained() {
      return firstEpoch.getCount() == 0;
    }

    int waitFor() throws InterruptedException {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("ends: %s", output).isTrue();
      return process.exitValue();
    }
  }

  /** The options of every training here: a tiny network, epochs of two steps. */
  private static List<String> trainOptions(Path data, Path run, int epochs) {
    // (A high learning rate makes the loss bounce, so that best is not always the last epoch.)
    return List.of("train", "--data", data.toString(), "--out", run.toString(), "--profile",
        "quick", "--crop", "32", "--batch", "2", "--width", "4", "--depth", "2",
        "--steps-per-epoch", "2", "--epochs", Integer.toString(epochs), "--lr", "0.03",
        "--threads", "1", "--no-progress");
  }

  private List<String> train(Path data, Path run, String... jvmOptions) {
    List<String> c = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-Xmx512m"));
    c.addAll(List.of(jvmOptions));
    c.addAll(List.of("-cp", System.getProperty("java.class.path"), LazySeg.class.getName()));
    c.addAll(trainOptions(data, run, EPOCHS));
    return c;
  }

  @Test
  void aRunKilledAtEveryCommitStepAndAtRandomMomentsEndsWithEveryEpochOnce() throws Exception {
    Path data = dir.resolve("data");
    Discs.write(data, 6, 3, 5);
    Path run = dir.resolve("run");

    for (String step : STEPS) {
      Child child = new Child(train(data, run, "-D" + RunFolder.HALT_PROPERTY + "=" + step));
      assertThat(child.waitFor()).as("halted at %s: %s", step, child.output)
          .isEqualTo(RunFolder.HALT_STATUS);
      checkAfterKill(run, child, "halt at " + step);
    }

    Random random = new Random(29);
    // Learned from the children: how long a start takes and how long an epoch lasts.
    long startupMillis = 2500;
    long epochMillis = 150;
    int alive = 0;
    for (int kill = 0; kill < 20; kill++) {
      Child child = new Child(train(data, run));
      String moment;
      if (random.nextInt(4) == 0) {
        long delay = (long) (random.nextDouble() * startupMillis);
        Thread.sleep(delay);
        moment = delay + " ms after the start";
      } else {
        // Within the epoch after the first one this child finished: its steps, validation,
        // checkpoint and metrics writes.
        child.firstEpoch.await(120, TimeUnit.SECONDS);
        long delay = (long) (random.nextDouble() * epochMillis);
        Thread.sleep(delay);
        moment = delay + " ms after its first epoch";
      }
      alive += child.process.isAlive() ? 1 : 0;
      child.process.destroyForcibly();
      child.waitFor();
      if (child.trained()) {
        startupMillis = (child.epochLines.get(0) - child.started) / 1_000_000;
        for (int i = 1; i < child.epochLines.size(); i++) {
          long gap = (child.epochLines.get(i) - child.epochLines.get(i - 1)) / 1_000_000;
          epochMillis = Math.max(epochMillis, gap + gap / 5);
        }
      }
      checkAfterKill(run, child, "kill " + kill + ", " + moment);
    }
    assertThat(alive).as("kills that met a running training").isGreaterThanOrEqualTo(15);

    Child last = new Child(train(data, run));
    assertThat(last.waitFor()).as(last.output.toString()).isZero();
    checkAfterKill(run, last, "the run to the end");
    List<String> rows = dataRows(run);
    assertThat(rows).hasSize(EPOCHS);
    for (int e = 1; e <= EPOCHS; e++) {
      assertThat(rows.get(e - 1)).startsWith(e + ",");
    }
    try (Stream<Path> entries = Files.list(run.resolve("checkpoints"))) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("last", "previous", "best");
    }
    for (String checkpoint : List.of("best", "last")) {
      Path out = dir.resolve("pred-" + checkpoint);
      CliTest.Result p = CliTest.run("predict", "--model", run.toString(), "--checkpoint",
          checkpoint, "--input", data.toString(), "--out", out.toString(), "--threads", "1");
      assertThat(p.code()).as(p.err()).isZero();
      assertThat(out.resolve("im4.png")).isNotEmptyFile();
    }
  }

  @Test
  void aDamagedLastIsToldInOneLineAndTrainingResumesFromAnIntactCheckpoint() throws Exception {
    Path data = dir.resolve("data");
    Discs.write(data, 6, 3, 5);
    Path run = dir.resolve("run");
    CliTest.Result first = CliTest.run(trainOptions(data, run, 3).toArray(String[]::new));
    assertThat(first.code()).as(first.err()).isZero();
    Path parameters = run.resolve("checkpoints/last").resolve(RunFolder.PARAMETERS);
    byte[] all = Files.readAllBytes(parameters);
    Files.write(parameters, java.util.Arrays.copyOf(all, all.length - 100));

    CliTest.Result second = CliTest.run(trainOptions(data, run, 4).toArray(String[]::new));
    assertThat(second.code()).as(second.err()).isZero();
    List<String> told = second.err().lines().filter(l -> l.contains("damaged")).toList();
    assertThat(told).hasSize(1);
    assertThat(told.get(0)).startsWith("lazyseg: " + parameters + " is damaged (")
        .contains("set aside as checkpoints/last.damaged-")
        .containsPattern("resuming from checkpoints/(previous|best) \\(epoch [23]\\)$");
    assertThat(dataRows(run)).hasSize(4);
  }

  private static List<String> dataRows(Path run) throws IOException {
    Path metrics = run.resolve("metrics.csv");
    if (!Files.exists(metrics)) {
      return List.of();
    }
    return Files.readAllLines(metrics).stream().filter(l -> !l.startsWith("epoch")).toList();
  }

  /**
   * What must hold after a kill at any moment: the folder as the next start finds it. Last
   * (or previous, if the kill came between the renames that replace last) is intact; metrics.csv
   * has a row per epoch up to last's, or up to the one before when the kill came between the
   * checkpoint and its row (last's state records that row); best, as readers resolve it, is the
   * epoch last's state names, with the parameters its state records; nothing was found
   * damaged; and once the child trained, it held the lock and no temporary of an earlier process
   * was left.
   */
  private static void checkAfterKill(Path run, Child child, String what) throws IOException {
    String context = what + "\n" + child.output;
    RunFolder folder = new RunFolder(run);
    List<String> rows = dataRows(run);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i)).as(context).startsWith((i + 1) + ",");
    }
    Path lastDir = folder.checkpoint(RunFolder.LAST);
    if (lastDir == null) {
      assertThat(rows).as(context).isEmpty();
    } else {
      assertThat(Recovery.damage(lastDir)).as(context).isNull();
      CheckpointState last = RunFolder.read(lastDir.resolve(RunFolder.STATE),
          CheckpointState.class);
      int epoch = last.epoch();
      if (rows.size() == epoch) {
        assertThat(rows.get(epoch - 1)).as(context).isEqualTo(last.metricsRow());
      } else {
        assertThat(rows).as("rows up to the epoch before last's: %s", context)
            .hasSize(epoch - 1);
        assertThat(last.metricsRow()).as(context).startsWith(epoch + ",");
      }
      Path bestDir = folder.checkpoint(RunFolder.BEST);
      assertThat(bestDir).as(context).isNotNull();
      assertThat(Recovery.damage(bestDir)).as(context).isNull();
      CheckpointState best = RunFolder.read(bestDir.resolve(RunFolder.STATE),
          CheckpointState.class);
      assertThat(best.epoch()).as("best is the epoch last names: %s", context)
          .isEqualTo(last.bestEpoch());
      assertThat(RunFolder.checksum(bestDir.resolve(RunFolder.PARAMETERS)))
          .as(context).isEqualTo(best.parametersCrc32c());
    }
    List<String> names;
    try (Stream<Path> all = Files.walk(run)) {
      names = all.map(p -> p.getFileName().toString()).toList();
    }
    assertThat(names).as("nothing found damaged: %s", context)
        .noneMatch(n -> n.contains(".damaged-") || n.contains(".unmatched-"));
    if (child.trained()) {
      assertThat(Files.readString(run.resolve(".lock"))).as(context)
          .startsWith("pid " + child.process.pid() + ",");
      String mine = "." + child.process.pid() + ".";
      assertThat(names.stream()
          .filter(n -> n.endsWith(".tmp") || n.endsWith(".old") || n.contains(".tmp.")))
          .as("temporaries of earlier processes removed at the start: %s", context)
          .allMatch(n -> n.contains(mine));
    }
  }
}
