package org.lazyseg.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** bench/experiment's entry point: experiment by default, speed, help. */
class ExperimentsTest {
  record Result(int code, String out, String err) {}

  /** Runs the entry point as {@code bench/experiment ARGS} does, with string writers. */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Experiments.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Result(cl.execute(Experiments.withCommand(args)), out.toString(), err.toString());
  }

  @Test
  void withoutACommandNameTheArgumentsGoToExperiment() {
    Result list = run("--list");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains("lazy-labels-glas", "recursive-hc18", "sizes-hc18",
        "tags-dsb2018");
    assertThat(run("experiment", "--list").out()).isEqualTo(list.out());

    Result none = run();
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("give --preset NAME (or --list)");
  }

  @Test
  void helpNamesBothCommands() {
    Result r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("experiment", "speed", "--preset NAME", "Exit codes:");
  }

  @Test
  void speedPrintsOneJsonLineOfTimes() {
    Result r = run("speed", "--size", "16", "--batch", "1", "--width", "2", "--steps", "1",
        "--warmup", "0", "--threads", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().strip()).startsWith("{\"framework\": \"lazyseg-djl\"")
        .contains("\"size\": 16", "\"train_step_ms_median\"", "\"infer_batch_ms_median\"")
        .endsWith("}");
  }
}
