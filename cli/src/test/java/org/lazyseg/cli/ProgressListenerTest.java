package org.lazyseg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.lazyseg.train.engine.EpochStats;

/** Without a terminal, progress still goes out as lines during a long epoch. */
class ProgressListenerTest {

  @Test
  void withoutATerminalALineGoesOutOnceTheQuietIntervalHasPassed() {
    StringWriter text = new StringWriter();
    try (ProgressListener p = new ProgressListener(new PrintWriter(text), 1, 2, 3, false, 0)) {
      p.onStep(1, 0.5f);
      p.onStep(2, 0.5f);
      p.onEpochEnd(new EpochStats(1, 0, 0.5, Double.NaN, Double.NaN, 1.0, 2));
    }
    java.util.List<String> lines = text.toString().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.subList(0, 2)).containsExactly(
        "epoch 1/2  step 1/3  loss 0.5000", "epoch 1/2  step 2/3  loss 0.5000");
    assertThat(lines.get(2)).startsWith(
        "epoch 1/2  round 0  train loss 0.5000  val loss -  val Dice -  2 steps in 1.0 s");
    StringWriter quiet = new StringWriter();
    try (ProgressListener p = new ProgressListener(new PrintWriter(quiet), 1, 2, 3, false, 3600)) {
      p.onStep(1, 0.5f);
    }
    assertThat(quiet.toString()).as("no line before the interval has passed").isEmpty();
  }

  @Test
  void withoutATerminalTheWatchdogSaysWhatTheRunDoesWhenNoStepComes() throws Exception {
    StringWriter text = new StringWriter();
    try (ProgressListener p = new ProgressListener(new PrintWriter(text), 1, 2, 3, false, 1)) {
      p.onEpochStart(1, 0);
      p.onStep(1, 0.5f);
      p.onStepsEnd(1);
      long until = System.nanoTime() + 5_000_000_000L;
      while (!text.toString().contains("validating") && System.nanoTime() < until) {
        Thread.sleep(50);
      }
    }
    String said = text.toString();
    assertThat(said).as("a line during a validation longer than the quiet interval")
        .containsPattern("epoch 1/2  validating and saving  \\(\\d+ s since the last line\\)");
    int lines = said.lines().toList().size();
    Thread.sleep(1500);
    assertThat(text.toString().lines().toList()).as("nothing after close").hasSize(lines);
  }

  @Test
  void onATerminalThereIsNoWatchdog() throws Exception {
    StringWriter text = new StringWriter();
    try (ProgressListener p = new ProgressListener(new PrintWriter(text), 1, 2, 3, true, 1)) {
      p.onStepsEnd(1);
      Thread.sleep(1500);
    }
    assertThat(text.toString()).doesNotContain("since the last line");
  }
}
