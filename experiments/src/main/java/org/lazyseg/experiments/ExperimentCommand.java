package org.lazyseg.experiments;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lazyseg.cli.ProgressListener;
import org.lazyseg.cli.ThreadOptions;
import org.lazyseg.cli.TrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bench/experiment}: runs a paper comparison from simulation to results table. */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    header = "Run a paper's comparison: simulate labels, train every method, test, tabulate.",
    description = {
      "Keeps every finished run and test under OUT and skips it when started again (an unfinished run resumes from its last checkpoint), so an experiment can be stopped at any time, and runs that several presets share are computed once.",
      "Writes OUT/PRESET/results.md and results.json (updated after each run), and per run pictures (image | truth | prediction) under OUT/runs/.../test-SPLIT/."
    })
final class ExperimentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ThreadOptions threads;

  @Option(names = "--preset", paramLabel = "NAME", description = "The experiment to run (see --list).")
  String preset;

  @Option(names = "--list", description = "List the presets and exit.")
  boolean list;

  @Option(names = "--out", defaultValue = "experiment-out", paramLabel = "DIR",
      description = "Folder for datasets, runs and tables, shared by all presets. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--data-root", paramLabel = "DIR",
      description = "Folder holding the datasets by name (glas, dsb2018, hc18, ...). Default: $LAZYSEG_DATA, else ../shared/data.")
  Path dataRoot;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "Training profile of every run: quick, standard or paper. Default: paper on a GPU, standard on a CPU.")
  String profile;

  @Option(names = "--minutes-per-run", paramLabel = "M",
      description = "Time budget of each training run instead of the profile's step count (runs get their own folders).")
  Double minutes;

  @Option(names = "--fractions", split = ",", paramLabel = "F",
      description = "Strong fractions to run instead of the preset's, e.g. 0.094,1.0.")
  List<Double> fractions;

  @Option(names = {"-O", "--preset-option"}, paramLabel = "KEY=VALUE",
      description = "A preset's own setting, e.g. -O side=128 for sizes-hc18 (images shrunk to a 128-pixel side).")
  java.util.Map<String, String> presetOptions = new java.util.LinkedHashMap<>();

  @Option(names = "--workers", defaultValue = "1", paramLabel = "N", description = "Threads preparing batches. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Show progress bars (only on a terminal). Default: ${DEFAULT-VALUE}.")
  boolean progress;

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getErr();
    if (list) {
      for (Preset p : Presets.all()) {
        spec.commandLine().getOut().printf(Locale.ROOT, "%-22s %s%n", p.name(), p.description());
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
    if (preset == null) {
      throw new ParameterException(spec.commandLine(), "give --preset NAME (or --list)");
    }
    Preset p;
    try {
      p = Presets.byName(preset).withOptions(presetOptions);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    String prof = profile != null ? profile : TrainCommand.defaultProfile();
    boolean bars = progress && System.console() != null;
    ExperimentContext ctx = new ExperimentContext(new ExperimentContext.Settings(
        out.toAbsolutePath(), dataRoot().toAbsolutePath(), prof, minutes, fractions,
        threads.threads(), workers, log,
        (firstEpoch, config) -> new ProgressListener(log, firstEpoch, config.epochs(),
            config.stepsPerEpoch(), bars)));
    p.run(ctx);
    log.flush();
    return 0;
  }

  private Path dataRoot() {
    if (dataRoot != null) {
      return dataRoot;
    }
    String env = System.getenv("LAZYSEG_DATA");
    return env != null ? Path.of(env) : Path.of("..", "shared", "data");
  }
}
