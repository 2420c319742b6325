package org.lazyseg.train.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lazyseg.train.CheckpointState;
import org.lazyseg.train.ModelSpec;
import org.lazyseg.train.RunFolder;
import org.lazyseg.train.Task;
import org.lazyseg.train.TrainConfig;
import org.lazyseg.train.data.Example;
import org.lazyseg.train.testing.Discs;

/**
 * What a run folder survives: a second process, what a kill leaves behind, a resume with
 * another network, a training that diverges (issue "Nothing lost, nothing overwritten").
 */
class RunFolderSafetyTest {
  @TempDir Path dir;

  private static ModelSpec spec(int width) {
    return ModelSpec.builder().setChannels(1).addTask(Task.of("fg", 2)).optWidth(width)
        .optDepth(3).build();
  }

  private static TrainConfig.Builder tiny() {
    return TrainConfig.builder().setCrop(32).setBatch(2).setLearningRate(3e-3)
        .setStepsPerEpoch(2).optThreads(1).optSeed(7);
  }

  /** Holds the lock of the folder given as argument until its standard input closes. */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      try (AutoCloseable lock = new RunFolder(Path.of(args[0])).lock()) {
        System.out.println("locked");
        System.out.flush();
        System.in.read();
      }
    }
  }

  @Test
  void aSecondProcessIsToldWhoHoldsTheRunFolder() throws Exception {
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
        dir.toString()).redirectErrorStream(true).start();
    try {
      assertThat(new String(holder.getInputStream().readNBytes(7)).trim()).isEqualTo("locked");
      assertThatThrownBy(() -> new RunFolder(dir).lock())
          .isInstanceOf(RunFolder.ConflictException.class)
          .hasMessageContaining(dir + " is being trained by another process (pid "
              + holder.pid());
      assertThatThrownBy(() -> new TrainingRun(dir, spec(4), tiny().setEpochs(1).build())
          .run(Discs.examples(2, 32, 1), List.of()))
          .isInstanceOf(RunFolder.ConflictException.class);
    } finally {
      holder.getOutputStream().close();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (AutoCloseable lock = new RunFolder(dir).lock();
        AutoCloseable again = new RunFolder(dir).lock()) {
      assertThat(Files.readString(dir.resolve(".lock"))).contains("pid "
          + ProcessHandle.current().pid());   // free once the holder ended; re-entrant here
    }
  }

  @Test
  void leftoversOfAKillAreTidiedAndUserFilesKept() throws IOException {
    RunFolder run = new RunFolder(dir);
    Files.createDirectories(run.checkpoints().resolve("best.tmp"));
    Files.createDirectories(run.checkpoints().resolve("last.4242.tmp"));
    Files.createDirectories(run.checkpoints().resolve("previous.4242.tmp"));
    // Killed between the renames of best (best.PID.old) and of last (only previous left).
    Files.createDirectories(run.checkpoints().resolve("best.4242.old"));
    Files.writeString(run.checkpoints().resolve("best.4242.old").resolve(RunFolder.STATE), "{}");
    Files.createDirectories(run.checkpoints().resolve(RunFolder.PREVIOUS));
    Files.writeString(run.checkpoints().resolve("previous").resolve(RunFolder.STATE), "{}");
    assertThat(run.checkpoint(RunFolder.LAST)).isEqualTo(run.checkpoints().resolve("previous"));
    Files.writeString(dir.resolve("metrics.csv.4242.tmp"), "half");
    Files.writeString(dir.resolve("curves.png.4242.tmp"), "half");
    Files.writeString(dir.resolve("curves.tmp.png"), "half");
    Files.writeString(dir.resolve("rounds.png.4242.tmp.png"), "half");   // XChart's temporary
    Files.writeString(dir.resolve("notes.txt"), "mine");
    Files.writeString(dir.resolve("my.tmp"), "mine too");
    run.removeLeftovers();
    try (java.util.stream.Stream<Path> left = Files.list(run.checkpoints())) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("temporaries deleted, checkpoints caught between two renames put back")
          .containsExactlyInAnyOrder("best", "last");
    }
    assertThat(run.checkpoints().resolve("last").resolve(RunFolder.STATE)).exists();
    assertThat(run.checkpoints().resolve("best").resolve(RunFolder.STATE)).exists();
    assertThat(dir.resolve("metrics.csv.4242.tmp")).doesNotExist();
    assertThat(dir.resolve("curves.png.4242.tmp")).doesNotExist();
    assertThat(dir.resolve("curves.tmp.png")).doesNotExist();
    assertThat(dir.resolve("rounds.png.4242.tmp.png")).doesNotExist();
    assertThat(dir.resolve("notes.txt")).exists();
    assertThat(dir.resolve("my.tmp")).as("not a name LazySeg writes").exists();
  }

  @Test
  void aMetricsRowOfAnEpochWithoutCheckpointIsTrainedAgain() throws IOException {
    List<Example> train = Discs.examples(3, 32, 3);
    new TrainingRun(dir, spec(4), tiny().setEpochs(2).build()).run(train, List.of());
    // As if killed after epoch 3's row was written but before its checkpoint.
    Files.writeString(dir.resolve("metrics.csv"), "3,0,9.0,NaN,NaN,1.0,2\n",
        java.nio.file.StandardOpenOption.APPEND);
    new TrainingRun(dir, spec(4), tiny().setEpochs(3).build()).run(train, List.of());
    List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
    assertThat(rows).hasSize(1 + 3);
    assertThat(rows.get(3)).startsWith("3,").doesNotContain("9.0");
    assertThat(new RunFolder(dir).nextEpoch()).isEqualTo(4);
  }

  private static final List<Example> TRAIN = Discs.examples(3, 32, 3);

  /** The run folder after training {@code epochs} epochs (or resuming to them) on TRAIN. */
  private RunFolder trainedTo(int epochs) throws IOException {
    new TrainingRun(dir, spec(4), tiny().setEpochs(epochs).build()).run(TRAIN, List.of());
    return new RunFolder(dir);
  }

  @Test
  void aRowMissingAfterItsCheckpointIsAddedFromTheCheckpointsState() throws IOException {
    trainedTo(2);
    Path metrics = dir.resolve("metrics.csv");
    List<String> full = Files.readAllLines(metrics);
    // As if killed after epoch 2's checkpoint was committed but before its row was written.
    Files.write(metrics, full.subList(0, 2));
    trainedTo(2);
    assertThat(Files.readAllLines(metrics)).as("repaired at the start").isEqualTo(full);
    trainedTo(3);
    assertThat(Files.readAllLines(metrics)).hasSize(1 + 3).startsWith(full.toArray(String[]::new));
  }

  /**
   * A kill after last is committed and before it is copied to best leaves best one best epoch
   * behind the state that names it: readers get last meanwhile, and the next start copies it.
   */
  @Test
  void aBestLaggingBehindTheStateThatNamesItIsReadFromLastAndRebuiltAtStart()
      throws IOException {
    RunFolder run = trainedTo(2);
    Path last = run.checkpoints().resolve(RunFolder.LAST);
    Path best = run.checkpoints().resolve(RunFolder.BEST);
    RunFolder.deleteRecursively(best);
    run.replaceCheckpoint(run.checkpoints().resolve(RunFolder.PREVIOUS), RunFolder.BEST);
    CheckpointState s = RunFolder.read(last.resolve(RunFolder.STATE), CheckpointState.class);
    RunFolder.write(last.resolve(RunFolder.STATE), new CheckpointState(s.epoch(), s.round(),
        s.bestScore(), 2, s.steps(), s.config(), s.spec(), s.metricsRow(), s.parametersBytes(),
        s.parametersCrc32c(), s.optimizerBytes(), s.optimizerCrc32c()));
    assertThat(run.checkpoint(RunFolder.BEST)).isEqualTo(last);

    trainedTo(2);
    assertThat(run.checkpoint(RunFolder.BEST)).isEqualTo(best);
    assertThat(RunFolder.read(best.resolve(RunFolder.STATE), CheckpointState.class).epoch())
        .isEqualTo(2);
    assertThat(RunFolder.checksum(best.resolve(RunFolder.PARAMETERS)))
        .isEqualTo(RunFolder.checksum(last.resolve(RunFolder.PARAMETERS)));
  }

  /** Captures what a start tells its listeners. */
  private static final class Starts implements TrainingListener {
    final List<TrainingStart> seen = new java.util.ArrayList<>();
    final List<String> messages = new java.util.ArrayList<>();

    @Override
    public void onMessage(String message) {
      messages.add(message);
    }

    @Override
    public void onStart(TrainingStart start) {
      seen.add(start);
    }
  }

  @Test
  void aDamagedLastIsSetAsideAndTrainingResumesFromTheNewestIntactCheckpoint()
      throws IOException {
    RunFolder run = trainedTo(3);
    Path parameters = run.checkpoints().resolve("last").resolve(RunFolder.PARAMETERS);
    byte[] all = Files.readAllBytes(parameters);
    byte[] cut = java.util.Arrays.copyOf(all, all.length / 2);
    Files.write(parameters, cut);
    // The newest intact one: previous (epoch 2), or best when epoch 3 was the best.
    int bestEpoch = RunFolder.read(run.checkpoints().resolve("best").resolve(RunFolder.STATE),
        CheckpointState.class).epoch();
    String from = bestEpoch == 3 ? "best" : "previous";
    int fromEpoch = bestEpoch == 3 ? 3 : 2;
    assertThat(run.nextEpoch()).isEqualTo(fromEpoch + 1);

    Starts starts = new Starts();
    new TrainingRun(dir, spec(4), tiny().setEpochs(4).build()).addListener(starts)
        .run(TRAIN, List.of());
    TrainingStart start = starts.seen.get(0);
    assertThat(start.doneEpochs()).isEqualTo(fromEpoch);
    // previous was last before: it holds Adam's state; best is kept without it
    assertThat(starts.messages).hasSize(from.equals("best") ? 2 : 1);
    if (from.equals("best")) {
      assertThat(starts.messages.get(1)).contains("holds no Adam state")
          .contains("Adam's moments start from zero");
    }
    assertThat(starts.messages.get(0))
        .startsWith(parameters + " is damaged (" + cut.length + " bytes, its state.json records "
            + all.length + "); set aside as checkpoints/last.damaged-")
        .endsWith(", resuming from checkpoints/" + from + " (epoch " + fromEpoch + ")");
    Path aside;
    try (java.util.stream.Stream<Path> entries = Files.list(run.checkpoints())) {
      aside = entries.filter(p -> p.getFileName().toString().startsWith("last.damaged-"))
          .findFirst().orElseThrow();
    }
    assertThat(aside.resolve(RunFolder.PARAMETERS)).as("kept, not deleted").hasBinaryContent(cut);
    List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
    assertThat(rows.stream().skip(1).map(r -> r.split(",")[0]))
        .as("one row per epoch").containsExactly("1", "2", "3", "4");
    assertThat(run.nextEpoch()).isEqualTo(5);
  }

  @Test
  void aDamagedLastWithNothingIntactToFallBackOnIsANamedErrorThatMovesNothing()
      throws IOException {
    RunFolder run = trainedTo(1);
    Path state = run.checkpoints().resolve("last").resolve(RunFolder.STATE);
    Files.writeString(state, "{\"epoch\": 1, \"ro");
    Files.writeString(run.checkpoints().resolve("best").resolve(RunFolder.PARAMETERS), "");
    assertThatThrownBy(() -> trainedTo(2))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining(state + " is damaged (")
        .hasMessageContaining("no intact checkpoint (previous, best) is left to resume from");
    try (java.util.stream.Stream<Path> entries = Files.list(run.checkpoints())) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("last", "best");
    }
  }

  @Test
  void resumingWithAnotherNetworkIsRefusedSayingWhatDiffers() throws IOException {
    List<Example> train = Discs.examples(2, 32, 3);
    new TrainingRun(dir, spec(4), tiny().setEpochs(1).build()).run(train, List.of());
    assertThatThrownBy(() -> new TrainingRun(dir, spec(8), tiny().setEpochs(2).build())
        .run(train, List.of()))
        .isInstanceOf(RunFolder.ConflictException.class)
        .hasMessageContaining("width 4, now 8");
    assertThat(new RunFolder(dir).nextEpoch()).isEqualTo(2);
  }

  @Test
  void aDivergingLossStopsTrainingAndKeepsTheCheckpointsBefore() throws IOException {
    List<Example> train = Discs.examples(3, 32, 3);
    new TrainingRun(dir, spec(4), tiny().setEpochs(1).build()).run(train, List.of());
    assertThatThrownBy(() -> new TrainingRun(dir, spec(4), tiny().setEpochs(4)
        .setLearningRate(1e30).build()).run(train, List.of()))
        .isInstanceOf(TrainingRun.DivergedException.class)
        .hasMessageContaining("training diverged").hasMessageContaining("--lr");
    assertThat(new RunFolder(dir).checkpoint(RunFolder.LAST)).isNotNull();
    assertThat(Files.readAllLines(dir.resolve("metrics.csv")).stream()
        .noneMatch(l -> l.contains("NaN,NaN,NaN") || l.toLowerCase().contains("infinity")))
        .isTrue();
  }

  @Test
  void aDamagedOrMissingCheckpointIsANamedError() throws IOException {
    new TrainingRun(dir, spec(4), tiny().setEpochs(1).build())
        .run(Discs.examples(2, 32, 3), List.of());
    assertThatThrownBy(() -> org.lazyseg.train.predict.Predictor.open(dir, "bogus"))
        .isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessageContaining("no checkpoint 'bogus'");
    Path parameters = new RunFolder(dir).checkpoint(RunFolder.LAST).resolve(RunFolder.PARAMETERS);
    byte[] all = Files.readAllBytes(parameters);
    Files.write(parameters, java.util.Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> org.lazyseg.train.predict.Predictor.open(dir, RunFolder.LAST))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining(parameters + ": damaged or not a parameter file");
  }

  @Test
  void aFolderOfSomethingElseIsNeverTrainedInto() throws IOException {
    Files.writeString(dir.resolve("thesis.txt"), "mine");
    assertThatThrownBy(() -> new TrainingRun(dir, spec(4), tiny().setEpochs(1).build())
        .run(Discs.examples(2, 32, 3), List.of()))
        .isInstanceOf(RunFolder.ConflictException.class)
        .hasMessageContaining("is not empty and is not a LazySeg run folder");
    assertThat(Files.readString(dir.resolve("thesis.txt"))).isEqualTo("mine");
    assertThat(dir.resolve("checkpoints")).doesNotExist();
    Path file = dir.resolve("thesis.txt");
    assertThatThrownBy(() -> new RunFolder(file).lock())
        .hasMessageContaining("is a file, not a run folder");
  }

  /**
   * The time budget holds the whole run: once an epoch's validation and checkpoints (here a
   * listener that takes 2 s) no longer fit the time left, no new epoch starts: two epochs end
   * near 4.2 s, and a third would end past the 6 s budget.
   */
  @Test
  void theBudgetLeavesRoomForWhatFollowsTheSteps() throws IOException {
    long start = System.nanoTime();
    TrainingResult r = new TrainingRun(dir, spec(4), tiny().setEpochs(50)
        .optBudgetMinutes(6.0 / 60).build())
        .addListener(new TrainingListener() {
          @Override
          public void onEpochEnd(EpochStats s) {
            try {
              Thread.sleep(2000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        })
        .run(Discs.examples(2, 32, 3), List.of());
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(r.stoppedByBudget()).isTrue();
    assertThat(r.epochs()).isEqualTo(2);
    assertThat(seconds).as("within the budget").isLessThan(6.0);
  }
}
